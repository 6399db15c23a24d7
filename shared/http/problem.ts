import { type Entity, type Lang, type Msg, msg, type ProblemCode, render } from '../messages/catalogue';

/**
 * RFC 9457 problem details. Handlers and rules throw `HttpProblem`; the error
 * middleware (./middleware/problems.ts) is the only place that renders them.
 * A problem carries messages (catalogue key + parameters), not text: it is
 * rendered in the reader's language (SPEC §3 Accept-Language) when it answers.
 */
export interface FieldError {
  path: string;
  message: Msg;
}
export interface RenderedFieldError {
  path: string;
  message: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ProblemCode;
  errors?: RenderedFieldError[];
  [extra: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export class HttpProblem extends Error {
  readonly status: number;
  readonly code: ProblemCode;
  readonly detail: Msg;
  readonly errors: FieldError[] | undefined;
  readonly extra: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: ProblemCode,
    detail: Msg,
    opts: { errors?: FieldError[]; extra?: Record<string, unknown>; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    // The Error's own message (logs) is the English text; answers render `detail` in the reader's language.
    super(render(detail, 'en'), opts.cause === undefined ? undefined : { cause: opts.cause });
    this.detail = detail;
    this.name = 'HttpProblem';
    this.status = status;
    this.code = code;
    this.errors = opts.errors;
    this.extra = opts.extra ?? {};
    this.headers = opts.headers ?? {};
  }

  /** The body in `lang` (Chinese unless the reader prefers English). `title` stays the HTTP reason phrase. */
  toBody(lang: Lang = 'zh'): ProblemBody {
    // The members RFC 9457 and SPEC §3 define come last, so no extra can shadow them: a problem's
    // `status` is always its HTTP status (a claim's state travels as `claimStatus`).
    return {
      ...this.extra,
      type: `https://huzhu.example/problems/${this.code.toLowerCase().replaceAll('_', '-')}`,
      title: TITLES[this.status] ?? 'Error',
      status: this.status,
      detail: render(this.detail, lang),
      code: this.code,
      ...(this.errors ? { errors: this.errors.map((e) => ({ path: e.path, message: render(e.message, lang) })) } : {}),
    };
  }
}

export const validationFailed = (errors: FieldError[], detail: Msg = msg('VALIDATION_FAILED')) =>
  new HttpProblem(400, 'VALIDATION_FAILED', detail, { errors });
export const unauthorized = (detail: Msg = msg('UNAUTHORIZED')) => new HttpProblem(401, 'UNAUTHORIZED', detail);
export const forbidden = (detail: Msg = msg('FORBIDDEN'), code: ProblemCode = 'FORBIDDEN') => new HttpProblem(403, code, detail);
/** 404 NOT_FOUND: `notFound('plan', id)`, or a message of its own (`msg('NOT_FOUND.report', …)`). */
export const notFound = (what: Entity | Msg, id = '') =>
  new HttpProblem(404, 'NOT_FOUND', typeof what === 'string' ? msg('NOT_FOUND', { entity: what, id }) : what);
export const conflict = (code: ProblemCode, detail: Msg, extra?: Record<string, unknown>) => new HttpProblem(409, code, detail, { extra });
export const unprocessable = (code: ProblemCode, detail: Msg, extra?: Record<string, unknown>) =>
  new HttpProblem(422, code, detail, { extra });
export const unavailable = (retryAfterSeconds = 1) =>
  new HttpProblem(503, 'SERVICE_UNAVAILABLE', msg('SERVICE_UNAVAILABLE'), {
    headers: { 'retry-after': String(retryAfterSeconds) },
  });

/** 409 ENROLMENT_CANCELLED: the enrolment was cancelled in error (SPEC §4.3); nothing more happens on it. */
export const enrolmentCancelled = (enrolmentId: string) =>
  new HttpProblem(409, 'ENROLMENT_CANCELLED', msg('ENROLMENT_CANCELLED', { enrolmentId }));
