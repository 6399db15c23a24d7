/**
 * RFC 9457 problem details. Handlers and rules throw `HttpProblem`; the error
 * middleware (./middleware/problems.ts) is the only place that renders them.
 */
export interface FieldError {
  path: string;
  message: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: FieldError[];
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
  readonly code: string;
  readonly errors: FieldError[] | undefined;
  readonly extra: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: string,
    detail: string,
    opts: { errors?: FieldError[]; extra?: Record<string, unknown>; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(detail, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'HttpProblem';
    this.status = status;
    this.code = code;
    this.errors = opts.errors;
    this.extra = opts.extra ?? {};
    this.headers = opts.headers ?? {};
  }

  toBody(): ProblemBody {
    // The members RFC 9457 and SPEC §3 define come last, so no extra can shadow them: a problem's
    // `status` is always its HTTP status (a claim's state travels as `claimStatus`).
    return {
      ...this.extra,
      type: `https://huzhu.example/problems/${this.code.toLowerCase().replaceAll('_', '-')}`,
      title: TITLES[this.status] ?? 'Error',
      status: this.status,
      detail: this.message,
      code: this.code,
      ...(this.errors ? { errors: this.errors } : {}),
    };
  }
}

export const validationFailed = (errors: FieldError[], detail = 'The request is not valid.') =>
  new HttpProblem(400, 'VALIDATION_FAILED', detail, { errors });
export const unauthorized = (detail = 'A valid bearer token is required.') => new HttpProblem(401, 'UNAUTHORIZED', detail);
export const forbidden = (detail = 'This is outside your scope or role.', code = 'FORBIDDEN') => new HttpProblem(403, code, detail);
export const notFound = (what: string) => new HttpProblem(404, 'NOT_FOUND', `${what} was not found.`);
export const conflict = (code: string, detail: string, extra?: Record<string, unknown>) => new HttpProblem(409, code, detail, { extra });
export const unprocessable = (code: string, detail: string, extra?: Record<string, unknown>) =>
  new HttpProblem(422, code, detail, { extra });
export const unavailable = (retryAfterSeconds = 1) =>
  new HttpProblem(503, 'SERVICE_UNAVAILABLE', 'The data store is busy; retry shortly.', {
    headers: { 'retry-after': String(retryAfterSeconds) },
  });

/** 409 ENROLMENT_CANCELLED: the enrolment was cancelled in error (SPEC §4.3); nothing more happens on it. */
export const enrolmentCancelled = (enrolmentId: string) =>
  new HttpProblem(409, 'ENROLMENT_CANCELLED', `Enrolment ${enrolmentId} was cancelled; enrol the member again if needed.`);
