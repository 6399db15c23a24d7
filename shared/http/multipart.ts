/**
 * A bounded `multipart/form-data` reader (RFC 7578) for roster uploads
 * (SPEC §4.3: `curl -F file=@roster.xlsx`, a browser form). The body is
 * already in memory (API Gateway and the local gateway hand it over whole,
 * base64 for binary), so this only splits it: no streaming, no temp files.
 * Bounded: at most MAX_PARTS parts and MAX_HEADER_BYTES of headers a part.
 * Errors say what is wrong with the envelope, never what a part holds.
 */

export interface FormPart {
  /** The form field's name (`file` for `curl -F file=@…`). */
  name: string;
  /** Present for a file part (a browser or curl sends the file's name; it may hold a person's name: display only). */
  filename?: string;
  /** The part's own Content-Type (lower-cased, without parameters), if it sent one. */
  contentType?: string;
  data: Buffer;
}

export class MultipartError extends Error {
  override name = 'MultipartError';
}

const MAX_PARTS = 16;
const MAX_HEADER_BYTES = 8 * 1024;

/** The boundary parameter of a multipart Content-Type header (quoted or not), or null. */
export const boundaryOf = (contentType: string): string | null => {
  const m = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;,"]{1,70}))/i.exec(contentType);
  return m ? (m[1] ?? m[2]!) : null;
};

/** A Content-Disposition parameter (`name="file"`, `filename="花名册.xlsx"`, or RFC 5987 `filename*=UTF-8''…`). */
const param = (header: string, key: string): string | undefined => {
  const ext = new RegExp(`;\\s*${key}\\*=(?:UTF-8|utf-8)''([^;\\s]+)`).exec(header);
  if (ext) {
    try {
      return decodeURIComponent(ext[1]!);
    } catch {
      // fall through to the plain parameter
    }
  }
  const m = new RegExp(`;\\s*${key}=(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]*))`, 'i').exec(header);
  if (!m) return undefined;
  return m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2];
};

const parseHeaders = (block: string): Map<string, string> => {
  const headers = new Map<string, string>();
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new MultipartError('a part has a malformed header line');
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
};

/** Splits a multipart/form-data body into its parts; a malformed envelope is a MultipartError. */
export const parseMultipart = (body: Buffer, contentType: string): FormPart[] => {
  const boundary = boundaryOf(contentType);
  if (!boundary) throw new MultipartError('the Content-Type has no boundary parameter');
  const delimiter = Buffer.from(`--${boundary}`, 'latin1');
  const next = Buffer.from(`\r\n--${boundary}`, 'latin1');
  // The first delimiter opens the body (a preamble before it is allowed and ignored).
  let at = 0;
  if (!body.subarray(0, delimiter.length).equals(delimiter)) {
    const first = body.indexOf(next);
    if (first < 0) throw new MultipartError('the body does not contain its boundary');
    at = first + 2;
  }
  const parts: FormPart[] = [];
  for (;;) {
    at += delimiter.length;
    // `--` after a delimiter closes the body; anything after it (an epilogue) is ignored.
    if (body[at] === 0x2d && body[at + 1] === 0x2d) return parts;
    // Transport padding, then CRLF.
    while (body[at] === 0x20 || body[at] === 0x09) at++;
    if (body[at] !== 0x0d || body[at + 1] !== 0x0a) throw new MultipartError('a boundary line is not followed by a line break');
    at += 2;
    if (parts.length >= MAX_PARTS) throw new MultipartError(`the form has more than ${MAX_PARTS} parts`);
    const headerEnd = body.indexOf('\r\n\r\n', at, 'latin1');
    if (headerEnd < 0 || headerEnd - at > MAX_HEADER_BYTES) throw new MultipartError('a part has no end to its headers');
    const headers = parseHeaders(body.subarray(at, headerEnd).toString('utf8'));
    const end = body.indexOf(next, headerEnd + 4);
    if (end < 0) throw new MultipartError('the body ends before its closing boundary');
    const disposition = headers.get('content-disposition') ?? '';
    if (!/^form-data\b/i.test(disposition)) throw new MultipartError('a part is not form-data (Content-Disposition)');
    const name = param(disposition, 'name');
    if (name === undefined) throw new MultipartError('a part has no field name');
    const filename = param(disposition, 'filename');
    const type = (headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    parts.push({
      name,
      ...(filename !== undefined ? { filename } : {}),
      ...(type ? { contentType: type } : {}),
      data: body.subarray(headerEnd + 4, end),
    });
    at = end + 2;
  }
};
