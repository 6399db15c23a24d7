/**
 * The local S3's front door: s3rver accepts unsigned writes and anonymous
 * reads of the whole bucket (and does not compute SigV4 signatures at all),
 * so clients talk to this instead, on the port they always used, and s3rver
 * listens behind it on another loopback port. It lets through only
 *
 *   - requests signed with SigV4 in the Authorization header by the local stack's credentials
 *     (payload hash checked against the body when it is one; X-Amz-Date within 15 minutes);
 *   - presigned URLs (X-Amz-Signature in the query): signature and expiry checked;
 *   - presigned POST forms: the policy's signature and expiration checked, and its conditions
 *     enforced as S3 does (bucket, key / key prefix, content-length-range, Content-Type and every
 *     other field named; no field the policy does not name);
 *   - CORS preflights (OPTIONS), answered by s3rver from the bucket's CORS rules.
 *
 * Anything else is answered 403 with an S3-style XML error before it reaches s3rver. Signatures are
 * recomputed with the SDK's own signer (@smithy/signature-v4), never hand-rolled.
 */
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, request as httpRequest, type Server, type ServerResponse } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';

type Bytes = string | ArrayBuffer | ArrayBufferView;
const toBuffer = (d: Bytes): Buffer =>
  typeof d === 'string'
    ? Buffer.from(d, 'utf8')
    : ArrayBuffer.isView(d)
      ? Buffer.from(d.buffer, d.byteOffset, d.byteLength)
      : Buffer.from(d);

/** The SDK's Checksum shape over node:crypto (what @smithy/hash-node does). */
class Sha256 {
  private readonly h;
  constructor(secret?: Bytes) {
    this.h = secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(secret));
  }
  update(data: Bytes) {
    this.h.update(toBuffer(data));
  }
  async digest() {
    return new Uint8Array(this.h.digest());
  }
  reset() {}
}

/** The clock header the test setup enables (S3FrontOptions.clockHeader). */
export const TEST_CLOCK_HEADER = 'x-huzhu-test-now';

/** Tests: the headers that make the front judge a presigned form at the moment it was made (its X-Amz-Date). */
export const formClockHeaders = (fields: Record<string, string>): Record<string, string> => {
  const d = amzDate(fields['X-Amz-Date']);
  return d ? { [TEST_CLOCK_HEADER]: d.toISOString() } : {};
};

export interface S3FrontOptions {
  port: number;
  /** Where s3rver listens (loopback). */
  upstreamPort: number;
  bucket: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Origins the bucket's CORS rules allow: the front's own errors carry CORS headers for them, so a browser can read them. */
  corsOrigins: string[];
  /**
   * Tests only: the name of a request header that may say what time it is (the app under test runs on fixed
   * clocks, so its upload forms are made "in the past"). Never set by `npm start`.
   */
  clockHeader?: string;
  /** Largest body the front buffers (bytes). */
  maxBodyBytes?: number;
}

export interface RunningS3Front {
  close(): Promise<void>;
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
const denied = (message: string) => new Refusal(403, 'AccessDenied', message);
const MISMATCH = () =>
  new Refusal(
    403,
    'SignatureDoesNotMatch',
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
  );

const MAX_SKEW_MS = 15 * 60 * 1000;
/** S3 substitutes the uploaded file's name for this in a form's key. */
const FILENAME_VARIABLE = ['$', '{filename}'].join('');
const MAX_PRESIGNED_SECONDS = 604_800;

const xmlEscape = (s: string) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** `20261207T003026Z` → Date (invalid → undefined). */
const amzDate = (v: string | undefined): Date | undefined => {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(v ?? '');
  if (!m) return undefined;
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  return Number.isNaN(d.getTime()) ? undefined : d;
};

/** The raw query as S3 reads it: percent-decoded (a `+` is a plus), a bare name is an empty value. */
const parseQuery = (raw: string): Record<string, string | string[]> => {
  const out: Record<string, string | string[]> = {};
  for (const part of raw.split('&')) {
    if (!part) continue;
    const i = part.indexOf('=');
    let name: string;
    let value: string;
    try {
      name = decodeURIComponent(i < 0 ? part : part.slice(0, i));
      value = i < 0 ? '' : decodeURIComponent(part.slice(i + 1));
    } catch {
      throw new Refusal(400, 'InvalidArgument', 'Malformed query string');
    }
    const had = out[name];
    out[name] = had === undefined ? value : Array.isArray(had) ? [...had, value] : [had, value];
  }
  return out;
};

/** `AKID/20261207/region/s3/aws4_request` → its parts, the service and terminator checked. */
const parseCredential = (credential: string | undefined, expectedKeyId: string) => {
  const parts = (credential ?? '').split('/');
  if (parts.length !== 5 || parts[3] !== 's3' || parts[4] !== 'aws4_request') {
    throw new Refusal(400, 'AuthorizationHeaderMalformed', 'The credential scope is malformed.');
  }
  const [keyId, day, region] = parts as [string, string, string];
  if (keyId !== expectedKeyId) {
    throw new Refusal(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
  }
  return { day, region };
};

const sameHex = (a: string, b: string) => {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
};

const headerString = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(',') : v);

/** A policy condition a form field must meet (S3 POST policy, SigV4). */
type Condition = Record<string, unknown> | unknown[];

export const startS3Front = async (opts: S3FrontOptions): Promise<RunningS3Front> => {
  const signer = new SignatureV4({
    credentials: opts.credentials,
    region: 'us-east-1',
    service: 's3',
    sha256: Sha256,
    uriEscapePath: false,
    applyChecksum: false,
  });
  const maxBody = opts.maxBodyBytes ?? 64 * 1024 * 1024;
  const clockHeader = opts.clockHeader?.toLowerCase();

  const nowOf = (req: IncomingMessage): Date => {
    if (clockHeader) {
      const given = headerString(req.headers[clockHeader]);
      if (given) {
        const d = new Date(given);
        if (!Number.isNaN(d.getTime())) return d;
      }
    }
    return new Date();
  };

  /** The request as the SDK signer sees one: raw path, decoded query, the headers it names. */
  const signable = (req: IncomingMessage, path: string, query: Record<string, string | string[]>, names: string[]) => {
    const headers: Record<string, string> = {};
    for (const n of names) {
      const v = headerString(req.headers[n]);
      if (v === undefined) throw MISMATCH();
      headers[n] = v;
    }
    return { method: req.method ?? 'GET', protocol: 'http:', hostname: 'localhost', path, query, headers };
  };

  const checkHeaderSigned = async (req: IncomingMessage, path: string, rawQuery: string, body: Buffer, now: Date) => {
    const auth = headerString(req.headers.authorization) ?? '';
    const m = /^AWS4-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/.exec(auth);
    if (!m) throw new Refusal(400, 'AuthorizationHeaderMalformed', 'Only AWS4-HMAC-SHA256 Authorization headers are accepted.');
    const [, credential, signedList, given] = m as unknown as [string, string, string, string];
    const { day, region } = parseCredential(credential, opts.credentials.accessKeyId);
    const signingDate = amzDate(headerString(req.headers['x-amz-date']));
    if (!signingDate || credential.split('/')[1] !== headerString(req.headers['x-amz-date'])?.slice(0, 8) || day.length !== 8) {
      throw new Refusal(403, 'AccessDenied', 'X-Amz-Date is missing or does not match the credential scope.');
    }
    if (Math.abs(now.getTime() - signingDate.getTime()) > MAX_SKEW_MS) {
      throw new Refusal(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.');
    }
    const names = signedList.split(';');
    if (!names.includes('host')) throw denied('The host header must be signed.');
    const payload = headerString(req.headers['x-amz-content-sha256']);
    if (!payload) throw new Refusal(400, 'InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
    if (/^[0-9a-f]{64}$/.test(payload)) {
      if (createHash('sha256').update(body).digest('hex') !== payload) {
        throw new Refusal(400, 'XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.");
      }
    } else if (payload !== 'UNSIGNED-PAYLOAD' && payload !== 'STREAMING-UNSIGNED-PAYLOAD-TRAILER') {
      throw denied(`x-amz-content-sha256 ${payload} is not supported by the local S3 front.`);
    }
    // The payload hash is taken from x-amz-content-sha256, so it must be among the headers passed (S3 requires it signed).
    if (!names.includes('x-amz-content-sha256')) throw MISMATCH();
    const signed = await signer.sign(signable(req, path, parseQuery(rawQuery), names) as never, {
      signingDate,
      signingRegion: region,
      signingService: 's3',
      signableHeaders: new Set(names),
    });
    const computed = /Signature=([0-9a-f]{64})$/.exec(String((signed as { headers: Record<string, string> }).headers.authorization));
    const computedList = /SignedHeaders=([^,\s]+)/.exec(String((signed as { headers: Record<string, string> }).headers.authorization));
    if (!computed || computedList?.[1] !== signedList || !sameHex(computed[1]!, given)) throw MISMATCH();
  };

  const checkPresignedUrl = async (req: IncomingMessage, path: string, rawQuery: string, now: Date) => {
    const query = parseQuery(rawQuery);
    const one = (k: string) => (typeof query[k] === 'string' ? (query[k] as string) : undefined);
    if (one('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256')
      throw new Refusal(400, 'AuthorizationQueryParametersError', 'X-Amz-Algorithm must be AWS4-HMAC-SHA256.');
    const given = one('X-Amz-Signature') ?? '';
    const credential = one('X-Amz-Credential');
    const { day, region } = parseCredential(credential, opts.credentials.accessKeyId);
    const signingDate = amzDate(one('X-Amz-Date'));
    const expires = Number(one('X-Amz-Expires'));
    if (
      !signingDate ||
      one('X-Amz-Date')?.slice(0, 8) !== day ||
      !Number.isInteger(expires) ||
      expires < 1 ||
      expires > MAX_PRESIGNED_SECONDS
    ) {
      throw new Refusal(400, 'AuthorizationQueryParametersError', 'X-Amz-Date, X-Amz-Credential or X-Amz-Expires is malformed.');
    }
    if (now.getTime() > signingDate.getTime() + expires * 1000) throw denied('Request has expired');
    if (signingDate.getTime() - now.getTime() > MAX_SKEW_MS) throw denied('Request is not yet valid');
    const names = (one('X-Amz-SignedHeaders') ?? '').split(';');
    if (!names.includes('host')) throw denied('The host header must be signed.');
    const { 'X-Amz-Signature': _, ...unsigned } = query;
    // Presigned URLs sign no payload (UNSIGNED-PAYLOAD), passed as a header that is neither signed nor hoisted.
    const request = signable(req, path, unsigned, names);
    request.headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
    const out = await signer.presign(request as never, {
      signingDate,
      expiresIn: expires,
      signingRegion: region,
      signingService: 's3',
      signableHeaders: new Set(names),
      unsignableHeaders: new Set(['x-amz-content-sha256']),
      unhoistableHeaders: new Set(['x-amz-content-sha256']),
    });
    const computed = String(out.query?.['X-Amz-Signature'] ?? '');
    if (out.query?.['X-Amz-SignedHeaders'] !== one('X-Amz-SignedHeaders') || !sameHex(computed, given)) throw MISMATCH();
  };

  const checkPostForm = async (req: IncomingMessage, bucket: string, body: Buffer, now: Date) => {
    const contentType = headerString(req.headers['content-type']) ?? '';
    if (!contentType.toLowerCase().startsWith('multipart/form-data')) throw denied('Anonymous requests are not allowed.');
    let form: FormData;
    try {
      form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
    } catch {
      throw new Refusal(400, 'MalformedPOSTRequest', 'The body of your POST request is not well-formed multipart/form-data.');
    }
    // Field names are case-insensitive; S3 ignores everything after the file.
    const fields = new Map<string, string>();
    let file: File | undefined;
    for (const [name, value] of form.entries()) {
      if (name.toLowerCase() === 'file') {
        if (typeof value === 'string') throw new Refusal(400, 'InvalidArgument', 'POST requires exactly one file upload per request.');
        file = value;
        break;
      }
      if (typeof value === 'string') fields.set(name.toLowerCase(), value);
    }
    if (!file) throw new Refusal(400, 'InvalidArgument', 'POST requires exactly one file upload per request.');
    const policyB64 = fields.get('policy');
    const given = fields.get('x-amz-signature');
    if (!policyB64 || !given) throw denied('Anonymous requests are not allowed: the form carries no signed policy.');
    if (fields.get('x-amz-algorithm') !== 'AWS4-HMAC-SHA256')
      throw new Refusal(400, 'InvalidArgument', 'x-amz-algorithm must be AWS4-HMAC-SHA256.');
    const { day, region } = parseCredential(fields.get('x-amz-credential'), opts.credentials.accessKeyId);
    const signingDate = amzDate(fields.get('x-amz-date'));
    if (!signingDate || fields.get('x-amz-date')?.slice(0, 8) !== day)
      throw new Refusal(400, 'InvalidArgument', 'x-amz-date does not match the credential.');
    const computed = await signer.sign(policyB64, { signingDate, signingRegion: region, signingService: 's3' });
    if (!sameHex(computed, given)) throw MISMATCH();

    let policy: { expiration?: unknown; conditions?: unknown };
    try {
      policy = JSON.parse(Buffer.from(policyB64, 'base64').toString('utf8'));
    } catch {
      throw new Refusal(400, 'InvalidPolicyDocument', 'Invalid Policy: Invalid JSON.');
    }
    const expiration = typeof policy.expiration === 'string' ? new Date(policy.expiration) : undefined;
    if (!expiration || Number.isNaN(expiration.getTime()) || !Array.isArray(policy.conditions)) {
      throw new Refusal(400, 'InvalidPolicyDocument', 'Invalid Policy: expiration and conditions are required.');
    }
    if (now.getTime() > expiration.getTime()) throw denied('Invalid according to Policy: Policy expired.');

    const named = fields.get('bucket');
    if (named !== undefined && named !== bucket) throw denied('Invalid according to Policy: the form names another bucket.');
    // The key may end in ${filename}: the file's own name.
    const fieldValue = (name: string) => {
      if (name === 'bucket') return bucket;
      const v = fields.get(name);
      return name === 'key' && v !== undefined ? v.replace(FILENAME_VARIABLE, file.name) : v;
    };
    const failed = (c: Condition) => denied(`Invalid according to Policy: Policy Condition failed: ${JSON.stringify(c)}`);
    const covered = new Set<string>();
    for (const c of policy.conditions as Condition[]) {
      if (Array.isArray(c)) {
        const [op, target, value] = c;
        if (typeof op !== 'string') throw failed(c);
        if (op.toLowerCase() === 'content-length-range') {
          const [min, max] = [Number(target), Number(value)];
          if (file.size > max) throw new Refusal(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size');
          if (file.size < min) throw new Refusal(400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size');
          continue;
        }
        if (typeof target !== 'string' || !target.startsWith('$') || typeof value !== 'string') throw failed(c);
        const name = target.slice(1).toLowerCase();
        const actual = fieldValue(name) ?? '';
        const ok = op === 'eq' ? actual === value : op === 'starts-with' ? actual.startsWith(value) : false;
        if (!ok) throw failed(c);
        covered.add(name);
      } else if (c && typeof c === 'object') {
        for (const [k, v] of Object.entries(c)) {
          const name = k.toLowerCase();
          if (fieldValue(name) !== v) throw failed(c);
          covered.add(name);
        }
      } else throw failed(c);
    }
    if (!covered.has('bucket')) throw denied('Invalid according to Policy: the policy names no bucket.');
    if (!covered.has('key')) throw denied('Invalid according to Policy: the policy names no key.');
    const exempt = new Set(['policy', 'x-amz-signature', 'file']);
    const extra = [...fields.keys()].filter((n) => !covered.has(n) && !exempt.has(n) && !n.startsWith('x-ignore-'));
    if (extra.length) throw denied(`Invalid according to Policy: Extra input fields: ${extra.join(', ')}`);
  };

  const refuse = (req: IncomingMessage, res: ServerResponse, r: Refusal) => {
    const origin = headerString(req.headers.origin);
    const headers: Record<string, string> = { 'content-type': 'application/xml', 'x-amz-request-id': randomUUID() };
    if (origin && opts.corsOrigins.includes(origin)) Object.assign(headers, { 'access-control-allow-origin': origin, vary: 'Origin' });
    const body =
      req.method === 'HEAD'
        ? ''
        : `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${r.code}</Code><Message>${xmlEscape(r.message)}</Message><RequestId>${headers['x-amz-request-id']}</RequestId></Error>`;
    res.writeHead(r.status, headers).end(body);
  };

  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const headers = { ...req.headers };
    for (const h of ['expect', 'connection', 'keep-alive', 'transfer-encoding', 'proxy-connection'])
      delete (headers as Record<string, unknown>)[h];
    if (clockHeader) delete (headers as Record<string, unknown>)[clockHeader];
    if (body.length || req.method === 'PUT' || req.method === 'POST') headers['content-length'] = String(body.length);
    const up = httpRequest({ host: '127.0.0.1', port: opts.upstreamPort, method: req.method, path: req.url, headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', (e) => {
      if (!res.headersSent) refuse(req, res, new Refusal(503, 'ServiceUnavailable', `local S3 unavailable: ${e.message}`));
      else res.destroy(e);
    });
    up.end(body);
  };

  const readBody = (req: IncomingMessage) =>
    new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > maxBody) {
          reject(new Refusal(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size'));
          req.destroy();
          return;
        }
        chunks.push(c);
      });
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const rawQuery = q < 0 ? '' : url.slice(q + 1);
    const body = await readBody(req);
    // CORS preflight: no credentials by design (the browser sends none); s3rver answers from the bucket's rules.
    if (req.method === 'OPTIONS') return forward(req, res, body);
    const now = nowOf(req);
    if (req.headers.authorization !== undefined) {
      await checkHeaderSigned(req, path, rawQuery, body, now);
    } else if (/(^|&)X-Amz-Signature=/.test(rawQuery) || /(^|&)X-Amz-Algorithm=/.test(rawQuery)) {
      await checkPresignedUrl(req, path, rawQuery, now);
    } else if (req.method === 'POST' && rawQuery === '' && /^\/[^/]+\/?$/.test(path)) {
      const bucket = decodeURIComponent(path.replace(/^\/|\/$/g, ''));
      await checkPostForm(req, bucket, body, now);
    } else {
      throw denied('Anonymous requests are not allowed: sign the request (SigV4) or use a presigned URL or form.');
    }
    forward(req, res, body);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (res.headersSent) return res.destroy();
      refuse(req, res, e instanceof Refusal ? e : new Refusal(500, 'InternalError', e instanceof Error ? e.message : String(e)));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};
