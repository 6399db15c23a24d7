/**
 * What a browser does with a presigned POST form (SPEC §4.4 uploads): every field the form carries, then the
 * file last — S3 ignores fields after the file. One place for the local tools that upload as a browser would
 * (the seed, the soak, the tests).
 */
export interface UploadForm {
  url: string;
  fields: Record<string, string>;
}

export const postPresignedForm = (
  form: UploadForm,
  file: { bytes: Uint8Array; type: string; name?: string },
  /** `url`: post to another S3 front than the form names (same bucket path); `headers`: extra request headers. */
  opts: { url?: string; headers?: Record<string, string> } = {},
): Promise<Response> => {
  const body = new FormData();
  for (const [k, v] of Object.entries(form.fields)) body.append(k, v);
  body.append('file', new Blob([file.bytes], { type: file.type }), file.name ?? 'upload.bin');
  return fetch(opts.url ?? form.url, { method: 'POST', body, ...(opts.headers ? { headers: opts.headers } : {}) });
};
