import { join } from 'node:path';
import { Duration, RemovalPolicy, Stack, Tags, Validations } from 'aws-cdk-lib';
import { HttpMethod, HttpRoute, HttpRouteKey } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { CfnTable } from 'aws-cdk-lib/aws-dynamodb';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { CfnBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { ENV } from '../shared/config';
import type { RouteDef } from '../shared/http/route';
import type { HuzhuApi } from './api';
import { repoRoot } from './cors';
import type { HuzhuData } from './data';
import { LOG_RETENTION } from './logs';

/** Construct id of the Lambda function serving route table key `key` (e.g. `createOrg` → `FnCreateOrg`). */
export const functionIdFor = (key: string): string => `Fn${key.charAt(0).toUpperCase()}${key.slice(1)}`;
/** Construct id of the HTTP API route for route table key `key`. */
export const routeIdFor = (key: string): string => `Route${key.charAt(0).toUpperCase()}${key.slice(1)}`;
/** Tag set on every route function (and its role) whose value is the route table key. */
export const FUNCTION_TAG = 'huzhu:function';

/** API Gateway HTTP API stops waiting for an integration after 30 s; a function must finish before that. */
const MAX_TIMEOUT_SECONDS = 29;
const DEFAULT_MEMORY_MB = 512;

/** IAM5 findings that `grantRead`/`grantReadWrite` on a bucket always produce (wildcard actions are CDK's). */
const BUCKET_READ_WILDCARD_ACTIONS = ['s3:GetObject*', 's3:GetBucket*', 's3:List*'];
const BUCKET_WRITE_WILDCARD_ACTIONS = ['s3:DeleteObject*', 's3:Abort*'];

/** What every route function is wired to. */
export interface RouteFunctionDeps {
  data: HuzhuData;
  api: HuzhuApi;
  rootOrgId: string;
}

/**
 * One route table entry → one function (with its role, log group and grants) and one HTTP API route.
 * Built straight into `scope` (the stack), so the construct ids, and so the logical ids, are the stack's own.
 */
export const makeRouteFunction = (
  scope: Construct,
  key: string,
  route: RouteDef,
  { data, api, rootOrgId }: RouteFunctionDeps,
): { fn: NodejsFunction; route: HttpRoute } => {
  const fid = functionIdFor(key);
  const { permissions: perms } = route;

  const logGroup = new LogGroup(scope, `${fid}Logs`, { retention: LOG_RETENTION, removalPolicy: RemovalPolicy.RETAIN });
  // Own role instead of AWSLambdaBasicExecutionRole: it may write to this function's log group only.
  const role = new Role(scope, `${fid}Role`, {
    assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    description: `Huzhu ${key}: ${route.method} ${route.path}`,
  });
  logGroup.grantWrite(role);

  const environment: Record<string, string> = {
    NODE_OPTIONS: '--enable-source-maps',
    POWERTOOLS_SERVICE_NAME: 'huzhu',
    [ENV.tableName]: data.table.tableName,
    [ENV.bucketName]: data.bucket.bucketName,
    [ENV.rootOrgId]: rootOrgId,
  };
  if (perms.personalData) {
    environment[ENV.kmsKeyId] = data.piiKey.keyArn;
    environment[ENV.hmacSecretArn] = data.hmacSecret.secretArn;
  }

  const fn = new NodejsFunction(scope, fid, {
    entry: join(repoRoot, 'functions', key, 'handler.ts'),
    handler: 'handler',
    projectRoot: repoRoot,
    depsLockFilePath: join(repoRoot, 'package-lock.json'),
    description: `Huzhu ${key}: ${route.method} ${route.path}`,
    runtime: Runtime.NODEJS_22_X,
    architecture: Architecture.ARM_64,
    memorySize: route.memoryMb ?? DEFAULT_MEMORY_MB,
    timeout: Duration.seconds(Math.min(route.timeoutSeconds ?? MAX_TIMEOUT_SECONDS, MAX_TIMEOUT_SECONDS)),
    role,
    logGroup,
    tracing: Tracing.ACTIVE,
    environment,
    bundling: {
      minify: true,
      sourceMap: true,
      sourcesContent: false,
      format: OutputFormat.ESM,
      target: 'node22',
      mainFields: ['module', 'main'],
      bundleAwsSDK: true,
      banner: "import { createRequire } from 'module';const require = createRequire(import.meta.url);",
      forceDockerBundling: false,
    },
  });
  Tags.of(fn).add(FUNCTION_TAG, key);

  // Grants: exactly what the route table's permissions say, nothing by default.
  if (perms.table === 'read') data.table.grantReadData(fn);
  if (perms.table === 'readwrite') data.table.grantReadWriteData(fn);
  if (perms.bucket === 'read') data.bucket.grantRead(fn);
  if (perms.bucket === 'readwrite') data.bucket.grantReadWrite(fn);
  if (perms.personalData) {
    data.piiKey.grant(fn, 'kms:GenerateDataKey', 'kms:Decrypt');
    data.hmacSecret.grantRead(fn);
  }
  acknowledgeFunctionFindings(key, fn, role, perms, data);

  const httpRoute = new HttpRoute(scope, routeIdFor(key), {
    httpApi: api.api,
    routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
    integration: new HttpLambdaIntegration(`${fid}Integration`, fn),
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

/** The cdk-nag findings every route function has by construction, acknowledged on its own role/function only. */
const acknowledgeFunctionFindings = (
  key: string,
  fn: NodejsFunction,
  role: Role,
  perms: RouteDef['permissions'],
  { table, bucket }: HuzhuData,
): void => {
  Validations.of(fn).acknowledge({
    id: 'AwsSolutions-L1',
    reason:
      'Pinned to nodejs22.x on purpose (the runtime the code and its tests target); moving to a newer runtime is a deliberate upgrade, not drift.',
  });
  const stack = Stack.of(fn);
  const ack = (finding: string, reason: string) =>
    Validations.of(role).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason: `${key}: ${reason}` });
  ack('Resource::*', 'X-Ray tracing (xray:PutTraceSegments, xray:PutTelemetryRecords) supports no resource-level permissions.');
  if (perms.table) {
    ack(
      `Resource::<${stack.getLogicalId(table.node.defaultChild as CfnTable)}.Arn>/index/*`,
      "table grant covers the table's own secondary indexes (queries on gsi1); no other table.",
    );
  }
  if (perms.bucket) {
    const bucketArn = `<${stack.getLogicalId(bucket.node.defaultChild as CfnBucket)}.Arn>`;
    ack(`Resource::${bucketArn}/*`, 'object-level access to the Huzhu data bucket only; object keys are made by the application.');
    const actions =
      perms.bucket === 'readwrite' ? [...BUCKET_READ_WILDCARD_ACTIONS, ...BUCKET_WRITE_WILDCARD_ACTIONS] : BUCKET_READ_WILDCARD_ACTIONS;
    for (const action of actions)
      ack(
        `Action::${action}`,
        `bucket.grant${perms.bucket === 'readwrite' ? 'ReadWrite' : 'Read'} action group, scoped to the data bucket.`,
      );
  }
};
