import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpNoneAuthorizer,
  HttpStage,
  LogGroupLogDestination,
  type IHttpRouteAuthorizer,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import type { UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { CORS } from './cors';
import { LOG_RETENTION } from './logs';

/** The HTTP API, its one stage (throttled, with JSON access logs) and the authorizers routes pick from. */
export interface HuzhuApi {
  api: HttpApi;
  stage: HttpStage;
  /** For routes with `auth: true`: a Cognito JWT whose audience is the web client. */
  jwtAuthorizer: IHttpRouteAuthorizer;
  /** For routes with `auth: false`. */
  noneAuthorizer: IHttpRouteAuthorizer;
}

export interface HuzhuApiProps {
  corsOrigins: string[];
  /** Cognito (this stack's pool and client), or another OIDC provider's issuer and audience (infra/auth.ts). */
  issuer: { userPool: UserPool; userPoolClient: UserPoolClient } | { url: string; audience: string[] };
}

export const makeApi = (scope: Construct, { corsOrigins, issuer }: HuzhuApiProps): HuzhuApi => {
  const stack = Stack.of(scope);
  const jwtAuthorizer =
    'userPool' in issuer
      ? new HttpJwtAuthorizer('CognitoJwt', `https://cognito-idp.${stack.region}.${stack.urlSuffix}/${issuer.userPool.userPoolId}`, {
          jwtAudience: [issuer.userPoolClient.userPoolClientId],
        })
      : new HttpJwtAuthorizer('OidcJwt', issuer.url, { jwtAudience: issuer.audience });
  const api = new HttpApi(scope, 'Api', {
    apiName: `${stack.stackName}-api`,
    description: 'Huzhu HTTP API',
    createDefaultStage: false,
    // CORS lives here only: with corsPreflight set, API Gateway ignores CORS headers from functions.
    corsPreflight: {
      allowOrigins: corsOrigins,
      allowMethods: CORS.allowMethods.map((m) => CorsHttpMethod[m]),
      allowHeaders: [...CORS.allowHeaders],
      exposeHeaders: [...CORS.exposeHeaders],
      maxAge: Duration.seconds(CORS.maxAgeSeconds),
    },
  });
  const accessLogs = new LogGroup(scope, 'ApiAccessLogs', {
    retention: LOG_RETENTION,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const stage = new HttpStage(scope, 'ApiDefaultStage', {
    httpApi: api,
    stageName: '$default',
    autoDeploy: true,
    throttle: { rateLimit: 200, burstLimit: 400 },
    accessLogSettings: {
      destination: new LogGroupLogDestination(accessLogs),
      format: AccessLogFormat.custom(
        JSON.stringify({
          requestId: '$context.requestId',
          time: '$context.requestTime',
          ip: '$context.identity.sourceIp',
          userAgent: '$context.identity.userAgent',
          routeKey: '$context.routeKey',
          path: '$context.path',
          status: '$context.status',
          protocol: '$context.protocol',
          responseLength: '$context.responseLength',
          latencyMs: '$context.responseLatency',
          integrationLatencyMs: '$context.integrationLatency',
          integrationError: '$context.integrationErrorMessage',
          authorizerError: '$context.authorizer.error',
          sub: '$context.authorizer.claims.sub',
        }),
      ),
    },
  });
  return { api, stage, jwtAuthorizer, noneAuthorizer: new HttpNoneAuthorizer() };
};
