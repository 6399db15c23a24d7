import { config } from './config';
import type { Problem } from './types';

/** A failed call: the problem+json body (SPEC §3), or a stand-in for an answer that is not one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail);
  }
  /** The message for one field (`errors[].path` is `body.<field>` or `query.<field>`), if any. */
  field(name: string): string | undefined {
    return this.problem.errors?.find((e) => e.path.replace(/^(body|query|path)\./, '') === name)?.message;
  }
}

let token: string | null = sessionStorage.getItem('huzhu.token');
export const setToken = (t: string | null) => {
  token = t;
  if (t) sessionStorage.setItem('huzhu.token', t);
  else sessionStorage.removeItem('huzhu.token');
};
export const getToken = () => token;

const listeners = new Set<() => void>();
/** Called on 401: the session is over (expired token), the shell shows the sign-in again. */
export const onUnauthorized = (f: () => void) => listeners.add(f);

const fallback = (status: number, text: string): Problem => ({
  type: 'about:blank',
  title: '请求失败',
  status,
  code: status === 401 ? 'UNAUTHORIZED' : status >= 500 ? 'SERVER_ERROR' : 'HTTP_ERROR',
  detail:
    status === 401
      ? '登录已失效，请重新登录。'
      : status === 503
        ? '服务暂时繁忙，请稍后再试。'
        : status >= 500
          ? '服务出错了，请稍后再试；如果一直这样，请联系管理员。'
          : `请求失败（${status}）${text ? `：${text.slice(0, 200)}` : ''}`,
});

export interface CallOptions {
  body?: unknown;
  /** A file or text sent as is, with its content type. */
  raw?: { data: Blob | string; contentType: string };
  query?: Record<string, string | number | undefined>;
  /** Every creating POST carries one, so a retried click never creates twice (SPEC §3). */
  idempotencyKey?: string;
  public?: boolean;
}

export const api = async <T>(method: string, path: string, opts: CallOptions = {}): Promise<T> => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined && v !== '') q.set(k, String(v));
  const url = `${config().apiUrl}${path}${q.size ? `?${q}` : ''}`;
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json', 'accept-language': 'zh-CN' };
  if (token && !opts.public) headers.authorization = `Bearer ${token}`;
  if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
  let body: BodyInit | undefined;
  if (opts.raw) {
    headers['content-type'] = opts.raw.contentType;
    body = opts.raw.data;
  } else if (opts.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await fetch(url, { method, headers, body });
  } catch {
    throw new ApiError(0, { ...fallback(0, ''), code: 'NETWORK', detail: '连不上服务器，请检查网络后重试。' });
  }
  const text = await res.text();
  if (res.ok) return (text ? JSON.parse(text) : undefined) as T;
  if (res.status === 401) for (const f of listeners) f();
  let problem: Problem | undefined;
  try {
    const parsed = JSON.parse(text) as Partial<Problem>;
    if (parsed && typeof parsed.detail === 'string') problem = parsed as Problem;
  } catch {
    /* not JSON */
  }
  throw new ApiError(res.status, problem ?? fallback(res.status, res.status === 401 ? '' : text));
};

export const newKey = (): string => crypto.randomUUID();

/**
 * The pages of a list up to `max` rows, and whether more exist (a page that must sort everything it shows,
 * like the review queue, reads them all at once and says when it could not).
 */
export const listUpTo = async <T>(
  path: string,
  query: Record<string, string | number | undefined> = {},
  max = 2000,
): Promise<{ items: T[]; more: boolean }> => {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await api<{ items: T[]; nextCursor: string | null }>('GET', path, {
      query: { ...query, limit: Math.min(500, max - items.length), cursor },
    });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && items.length < max);
  return { items, more: cursor !== undefined };
};

/** All of a short list (plans, an org's children, a payment's claims): bounded, as listUpTo. */
export const listAll = async <T>(path: string, query: Record<string, string | number | undefined> = {}, max = 2000): Promise<T[]> =>
  (await listUpTo<T>(path, query, max)).items;

/**
 * Straight to S3 through a presigned POST (the API never carries the file), with progress.
 * XMLHttpRequest because fetch has no upload progress.
 */
export const uploadPresigned = (
  upload: { url: string; fields: Record<string, string> },
  file: Blob,
  onProgress: (permille: number) => void,
): Promise<void> =>
  new Promise((resolve, reject) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(upload.fields)) form.append(k, v);
    form.append('file', file);
    const xhr = new XMLHttpRequest();
    const finish = () => {
      onProgress(1000);
      resolve();
    };
    xhr.open('POST', upload.url);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(Math.floor((e.loaded * 1000) / e.total));
    xhr.onload = () =>
      xhr.status >= 200 && xhr.status < 300
        ? finish()
        : reject(new Error(xhr.status === 403 ? '上传链接已过期或文件不符合要求，请重新选择文件上传。' : `上传失败（${xhr.status}）`));
    xhr.onerror = () => reject(new Error('上传中断，请检查网络后重试。'));
    xhr.send(form);
  });
