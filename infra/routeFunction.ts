import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { Duration, RemovalPolicy, Stack, Tags, Validations } from 'aws-cdk-lib';
import { HttpMethod, HttpRoute, HttpRouteKey } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { type ICommandHooks, NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { CfnBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { ENV } from '../shared/config';
import type { RouteDef, RoutePermissions } from '../shared/http/route';
import type { HuzhuApi } from './api';
import { nodejsBundling } from './bundling';
import { repoRoot } from './cors';
import type { HuzhuData } from './data';
import { grantPermissions } from './grants';
import { LOG_RETENTION } from './logs';

/** Construct id of the Lambda function for route table (or jobs) key `key` (e.g. `createOrg` → `FnCreateOrg`). */
export const functionIdFor = (key: string): string => `Fn${key.charAt(0).toUpperCase()}${key.slice(1)}`;
/** Construct id of the HTTP API route for route table key `key`. */
export const routeIdFor = (key: string): string => `Route${key.charAt(0).toUpperCase()}${key.slice(1)}`;
/** Tag set on every function (and its role) whose value is its route table or jobs key. */
export const FUNCTION_TAG = 'huzhu:function';

/** API Gateway HTTP API stops waiting for an integration after 30 s; a route's function must finish before that. */
export const MAX_ROUTE_TIMEOUT_SECONDS = 29;
const DEFAULT_MEMORY_MB = 512;

export interface FunctionSpec {
  summary: string;
  permissions: RoutePermissions;
  memoryMb?: number;
  timeoutSeconds: number;
  /** Package files the function reads at run time (RouteDef.files), copied into `assets/` beside the bundle. */
  files?: readonly string[];
}

/**
 * One function with its own role, log group and exactly the grants its
 * permissions name. Built straight into `scope` (the stack), so the construct
 * ids, and so the logical ids, are the stack's own.
 */
/** The token claims functions read the caller from (infra/auth.ts IdentityProvider; Cognito's by default). */
export interface ClaimNames {
  role: string;
  org: string;
  idToken: string;
}

export const makeFunction = (
  scope: Construct,
  key: string,
  spec: FunctionSpec,
  data: HuzhuData,
  rootOrgId: string,
  claims?: ClaimNames,
): NodejsFunction => {
  const fid = functionIdFor(key);
  const perms = spec.permissions;
  const logGroup = new LogGroup(scope, `${fid}Logs`, { retention: LOG_RETENTION, removalPolicy: RemovalPolicy.RETAIN });
  // Own role instead of AWSLambdaBasicExecutionRole: it may write to this function's log group only.
  const role = new Role(scope, `${fid}Role`, {
    assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    description: `Huzhu ${key}: ${spec.summary}`,
  });
  logGroup.grantWrite(role);

  const environment: Record<string, string> = {
    POWERTOOLS_SERVICE_NAME: 'huzhu',
    [ENV.tableName]: data.table.tableName,
    [ENV.bucketName]: data.bucket.bucketName,
    [ENV.rootOrgId]: rootOrgId,
  };
  if (claims) {
    environment[ENV.jwtRoleClaim] = claims.role;
    environment[ENV.jwtOrgClaim] = claims.org;
    environment[ENV.jwtIdTokenClaim] = claims.idToken;
  }
  // Only what the grants allow is named in the environment.
  if (perms.pii?.open || perms.pii?.seal) environment[ENV.kmsKeyId] = data.piiKey.keyArn;
  if (perms.pii?.hmac) environment[ENV.hmacSecretArn] = data.hmacSecret.secretArn;
  if (perms.cursors) environment[ENV.cursorSecretArn] = data.cursorSecret.secretArn;

  const fn = new NodejsFunction(scope, fid, {
    entry: join(repoRoot, 'functions', key, 'handler.ts'),
    handler: 'handler',
    projectRoot: repoRoot,
    depsLockFilePath: join(repoRoot, 'package-lock.json'),
    description: `Huzhu ${key}: ${spec.summary}`.slice(0, 256),
    runtime: Runtime.NODEJS_22_X,
    architecture: Architecture.ARM_64,
    memorySize: spec.memoryMb ?? DEFAULT_MEMORY_MB,
    timeout: Duration.seconds(spec.timeoutSeconds),
    role,
    logGroup,
    tracing: Tracing.ACTIVE,
    environment,
    bundling: { ...nodejsBundling(), ...(spec.files?.length ? { commandHooks: copyFiles(spec.files) } : {}) },
  });
  Tags.of(fn).add(FUNCTION_TAG, key);
  grantPermissions(fn, perms, data);
  acknowledgeFunctionFindings(key, fn, role, perms, data);
  return fn;
};

/** Bundling hooks that copy package files into `assets/` of the bundle (read by shared/http/assets.ts). */
const copyFiles = (files: readonly string[]): ICommandHooks => ({
  beforeBundling: () => [],
  beforeInstall: () => [],
  afterBundling: (inputDir: string, outputDir: string) => [
    `mkdir -p "${outputDir}/assets"`,
    // Resolved here, against the project, then named inside the bundling input (the same tree, maybe mounted elsewhere).
    ...files.map(
      (f) => `cp "${inputDir}/${relative(repoRoot, createRequire(join(repoRoot, 'package.json')).resolve(f))}" "${outputDir}/assets/"`,
    ),
  ],
});

/** One route table entry → its function and its HTTP API route. */
export const makeRouteFunction = (
  scope: Construct,
  key: string,
  route: RouteDef,
  { data, api, rootOrgId, claims }: { data: HuzhuData; api: HuzhuApi; rootOrgId: string; claims?: ClaimNames },
): { fn: NodejsFunction; route: HttpRoute } => {
  const fn = makeFunction(
    scope,
    key,
    {
      summary: `${route.method} ${route.path}`,
      permissions: route.permissions,
      memoryMb: route.memoryMb,
      timeoutSeconds: Math.min(route.timeoutSeconds ?? MAX_ROUTE_TIMEOUT_SECONDS, MAX_ROUTE_TIMEOUT_SECONDS),
      ...(route.files ? { files: route.files } : {}),
    },
    data,
    rootOrgId,
    claims,
  );
  const httpRoute = new HttpRoute(scope, routeIdFor(key), {
    httpApi: api.api,
    routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
    integration: new HttpLambdaIntegration(`${functionIdFor(key)}Integration`, fn),
    authorizer: route.auth ? api.jwtAuthorizer : api.noneAuthorizer,
  });
  if (!route.auth) {
    Validations.of(httpRoute).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason: `${route.method} ${route.path} is public by SPEC §2 (health, OpenAPI document, public disclosures); the route table marks it auth: false.`,
    });
  }
  return { fn, route: httpRoute };
};

/** The cdk-nag findings every function has by construction, acknowledged on its own role/function only. */
const acknowledgeFunctionFindings = (key: string, fn: NodejsFunction, role: Role, perms: RoutePermissions, { bucket }: HuzhuData): void => {
  Validations.of(fn).acknowledge({
    id: 'AwsSolutions-L1',
    reason:
      'Pinned to nodejs22.x on purpose (the runtime the code and its tests target); moving to a newer runtime is a deliberate upgrade, not drift.',
  });
  const stack = Stack.of(fn);
  const ack = (finding: string, reason: string) =>
    Validations.of(role).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason: `${key}: ${reason}` });
  ack('Resource::*', 'X-Ray tracing (xray:PutTraceSegments, xray:PutTelemetryRecords) supports no resource-level permissions.');
  const bucketArn = `<${stack.getLogicalId(bucket.node.defaultChild as CfnBucket)}.Arn>`;
  for (const prefix of new Set([...(perms.bucket?.read ?? []), ...(perms.bucket?.write ?? [])])) {
    ack(
      `Resource::${bucketArn}/${prefix}*`,
      `objects under ${prefix} of the data bucket only; keys are made by the application (shared/objects/keys.ts).`,
    );
  }
};
