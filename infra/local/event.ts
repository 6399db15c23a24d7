import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import type { Context, HttpEvent } from '../../shared/http/types';

/**
 * Builds the API Gateway HTTP API payload-2.0 event a route receives. Used by
 * the local gateway and by integration tests that call handlers directly.
 */
export interface EventInput {
  method: string;
  /** Route path as in the route table, e.g. `/orgs/{id}`. */
  routePath: string;
  rawPath: string;
  rawQueryString?: string;
  headers?: Record<string, string>;
  pathParameters?: Record<string, string>;
  body?: Buffer | string;
  claims?: Record<string, string | number>;
  sourceIp?: string;
}

const TEXTUAL = /^(application\/(json|[\w.+-]*\+json|x-www-form-urlencoded)|text\/)/;

export const buildHttpEvent = (i: EventInput): HttpEvent => {
  const headers = Object.fromEntries(Object.entries(i.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const query = new URLSearchParams(i.rawQueryString ?? '');
  const queryStringParameters: Record<string, string> = {};
  // API Gateway joins repeated keys with commas.
  for (const [k, v] of query) queryStringParameters[k] = k in queryStringParameters ? `${queryStringParameters[k]},${v}` : v;
  const contentType = headers['content-type'] ?? '';
  let body: string | undefined;
  let isBase64Encoded = false;
  if (i.body !== undefined && i.body.length > 0) {
    if (typeof i.body === 'string') body = i.body;
    else if ((TEXTUAL.test(contentType) || contentType === '') && isUtf8(i.body)) body = i.body.toString('utf8');
    else {
      // Binary, or text that is not UTF-8 (a GBK CSV): passed base64-encoded so no byte is lost.
      body = i.body.toString('base64');
      isBase64Encoded = true;
    }
  }
  const now = new Date();
  return {
    version: '2.0',
    routeKey: `${i.method} ${i.routePath}`,
    rawPath: i.rawPath,
    rawQueryString: i.rawQueryString ?? '',
    headers,
    ...(Object.keys(queryStringParameters).length ? { queryStringParameters } : {}),
    ...(i.pathParameters && Object.keys(i.pathParameters).length ? { pathParameters: i.pathParameters } : {}),
    ...(body !== undefined ? { body } : {}),
    isBase64Encoded,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      http: {
        method: i.method,
        path: i.rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: i.sourceIp ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: `${i.method} ${i.routePath}`,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      ...(i.claims ? { authorizer: { principalId: '', integrationLatency: 0, jwt: { claims: i.claims, scopes: [] } } } : {}),
    },
  } as HttpEvent;
};

/** A Lambda context with the same deadline API Gateway imposes (29 s). */
export const lambdaContext = (functionName: string, timeoutMs = 29_000): Context => {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
};
