import { join } from 'node:path';
import { CfnOutput, Duration, RemovalPolicy, Stack, Tags, Validations, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
  type IHttpRouteAuthorizer,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  StringAttribute,
  UserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { AttributeType, BillingMode, CfnTable, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, CfnBucket, HttpMethods, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { ENV } from '../shared/config';
import type { RouteDef } from '../shared/http/route';
import { routes } from '../shared/http/routes';
import { tableDefinition } from '../shared/store/table';
import { CORS, repoRoot } from './cors';

export interface HuzhuStackProps extends StackProps {
  /** Browser origins allowed by API Gateway CORS and by the bucket's CORS (presigned POST uploads). */
  corsOrigins: string[];
  /** Id of the federation (root org); passed to every function as ENV.rootOrgId. */
  rootOrgId: string;
  /**
   * The route table to build from. Defaults to `shared/http/routes.ts`; tests pass a variant
   * (same keys, so the handler files exist) to exercise permission combinations.
   */
  routeTable?: Readonly<Record<string, RouteDef>>;
}

/** Construct id of the Lambda function serving route table key `key` (e.g. `createOrg` → `FnCreateOrg`). */
export const functionIdFor = (key: string): string => `Fn${key.charAt(0).toUpperCase()}${key.slice(1)}`;
/** Construct id of the HTTP API route for route table key `key`. */
export const routeIdFor = (key: string): string => `Route${key.charAt(0).toUpperCase()}${key.slice(1)}`;
/** Tag set on every route function (and its role) whose value is the route table key. */
export const FUNCTION_TAG = 'huzhu:function';

/** API Gateway HTTP API stops waiting for an integration after 30 s; a function must finish before that. */
const MAX_TIMEOUT_SECONDS = 29;
const DEFAULT_MEMORY_MB = 512;
/** Logs are part of the audit trail (SPEC §1: every step recorded). */
const LOG_RETENTION = RetentionDays.ONE_YEAR;

/** IAM5 findings that `grantRead`/`grantReadWrite` on a bucket always produce (wildcard actions are CDK's). */
const BUCKET_READ_WILDCARD_ACTIONS = ['s3:GetObject*', 's3:GetBucket*', 's3:List*'];
const BUCKET_WRITE_WILDCARD_ACTIONS = ['s3:DeleteObject*', 's3:Abort*'];

interface IndexDef {
  indexName: string;
  partitionKey: string;
  sortKey?: string;
}

export class HuzhuStack extends Stack {
  readonly table: Table;
  readonly bucket: Bucket;
  readonly piiKey: Key;
  readonly hmacSecret: Secret;
  readonly userPool: UserPool;
  readonly userPoolClient: UserPoolClient;
  readonly api: HttpApi;
  readonly stage: HttpStage;
  /** Route table key → its function. */
  readonly functions: Record<string, NodejsFunction> = {};
  /** Route table key → its HTTP API route. */
  readonly routes: Record<string, HttpRoute> = {};

  private readonly jwtAuthorizer: IHttpRouteAuthorizer;
  private readonly noneAuthorizer = new HttpNoneAuthorizer();
  private readonly rootOrgId: string;

  constructor(scope: Construct, id: string, props: HuzhuStackProps) {
    super(scope, id, props);
    this.rootOrgId = props.rootOrgId;
    // Exact origins only (scheme://host[:port], no path or trailing slash, which never match): no wildcard.
    const badOrigin = props.corsOrigins.find((o) => !/^https?:\/\/[^/*\s]+$/.test(o));
    if (props.corsOrigins.length === 0 || badOrigin !== undefined) {
      throw new Error(`corsOrigins must list exact origins like https://huzhu.example.org; got ${JSON.stringify(props.corsOrigins)}`);
    }

    this.table = this.makeTable();
    this.bucket = this.makeBucket(props.corsOrigins);

    this.piiKey = new Key(this, 'PiiKey', {
      description: 'Huzhu: makes the data keys that encrypt resident ID numbers',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.hmacSecret = new Secret(this, 'IdNumberHmacSecret', {
      description: 'Huzhu: HMAC key for the uniqueness hash of resident ID numbers (raw 64-character string)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.hmacSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The HMAC key derives the stored uniqueness hash of every ID number; rotating it would orphan all existing hashes ' +
        'and silently allow duplicate enrolments. It is rotated only by a planned re-hash migration, never automatically.',
    });

    ({ userPool: this.userPool, client: this.userPoolClient } = this.makeUserPool());
    this.jwtAuthorizer = new HttpJwtAuthorizer(
      'CognitoJwt',
      `https://cognito-idp.${this.region}.${this.urlSuffix}/${this.userPool.userPoolId}`,
      { jwtAudience: [this.userPoolClient.userPoolClientId] },
    );
    ({ api: this.api, stage: this.stage } = this.makeApi(props.corsOrigins));

    const table = props.routeTable ?? routes;
    const seen = new Map<string, string>();
    for (const [key, route] of Object.entries(table)) {
      const routeKey = `${route.method} ${route.path}`;
      const other = seen.get(routeKey);
      if (other) throw new Error(`Route table: ${key} and ${other} both declare ${routeKey}`);
      seen.set(routeKey, key);
      this.addRouteFunction(key, route);
    }

    new CfnOutput(this, 'ApiUrl', { value: this.stage.url });
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.userPoolClient.userPoolClientId });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'BucketName', { value: this.bucket.bucketName });
  }

  private makeTable(): Table {
    const s = { type: AttributeType.STRING } as const;
    const table = new Table(this, 'Table', {
      partitionKey: { name: tableDefinition.partitionKey, ...s },
      sortKey: { name: tableDefinition.sortKey, ...s },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      timeToLiveAttribute: tableDefinition.ttlAttribute,
      encryption: TableEncryption.AWS_MANAGED,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const gsi of tableDefinition.globalSecondaryIndexes as readonly IndexDef[]) {
      table.addGlobalSecondaryIndex({
        indexName: gsi.indexName,
        partitionKey: { name: gsi.partitionKey, ...s },
        ...(gsi.sortKey ? { sortKey: { name: gsi.sortKey, ...s } } : {}),
        projectionType: ProjectionType.ALL,
      });
    }
    return table;
  }

  private makeBucket(corsOrigins: string[]): Bucket {
    const common = {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // Server access logs can only be delivered to an SSE-S3 bucket, so both use S3-managed keys.
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
    } as const;
    const accessLogs = new Bucket(this, 'AccessLogsBucket', {
      ...common,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(400) }],
    });
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the server-access-log bucket of the data bucket; logging it into itself (or another bucket) would only log the log delivery.',
    });
    return new Bucket(this, 'Bucket', {
      ...common,
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'data-bucket/',
      lifecycleRules: [
        { id: 'expire-noncurrent-versions', noncurrentVersionExpiration: Duration.days(90) },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      cors: [
        {
          // Browsers upload receipts with presigned POST and read them back with presigned GET.
          allowedMethods: [HttpMethods.POST, HttpMethods.GET],
          allowedOrigins: corsOrigins,
          allowedHeaders: ['*'],
          exposedHeaders: ['ETag', 'Location'],
          maxAge: CORS.maxAgeSeconds,
        },
      ],
    });
  }

  private makeUserPool(): { userPool: UserPool; client: UserPoolClient } {
    const userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      signInCaseSensitive: false,
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.ESSENTIALS,
      // Carried in the ID token as custom:role / custom:org; set by administrators only (see the client below).
      customAttributes: {
        role: new StringAttribute({ mutable: true, minLen: 1, maxLen: 32 }),
        org: new StringAttribute({ mutable: true, minLen: 1, maxLen: 64 }),
      },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'MFA is optional (TOTP only) by product decision: accounts are created by administrators for union staff, many of whom ' +
        'cannot use an authenticator app; enforce it per role later via an auth challenge when the federation requires it.',
    });
    Validations.of(userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        'Essentials feature plan: threat protection (Plus plan) is billed per MAU with no free tier; the pool has no self sign-up, ' +
        'a strong password policy and optional TOTP. Switch featurePlan to PLUS and enable threat protection if the federation funds it.',
    });
    const client = userPool.addClient('WebClient', {
      generateSecret: false,
      authFlows: { userSrp: true, userPassword: true },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(1),
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
        .withCustomAttributes('role', 'org'),
      // Users may not change their role or org (nor their sign-in email): administrators do, with AdminUpdateUserAttributes.
      writeAttributes: new ClientAttributes().withStandardAttributes({ fullname: true }),
    });
    return { userPool, client };
  }

  private makeApi(corsOrigins: string[]): { api: HttpApi; stage: HttpStage } {
    const api = new HttpApi(this, 'Api', {
      apiName: `${this.stackName}-api`,
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
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', {
      retention: LOG_RETENTION,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const stage = new HttpStage(this, 'ApiDefaultStage', {
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
    return { api, stage };
  }

  /** One route table entry → one function (with its role, log group and grants) and one HTTP API route. */
  private addRouteFunction(key: string, route: RouteDef): void {
    const fid = functionIdFor(key);
    const { permissions: perms } = route;

    const logGroup = new LogGroup(this, `${fid}Logs`, { retention: LOG_RETENTION, removalPolicy: RemovalPolicy.RETAIN });
    // Own role instead of AWSLambdaBasicExecutionRole: it may write to this function's log group only.
    const role = new Role(this, `${fid}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Huzhu ${key}: ${route.method} ${route.path}`,
    });
    logGroup.grantWrite(role);

    const environment: Record<string, string> = {
      NODE_OPTIONS: '--enable-source-maps',
      POWERTOOLS_SERVICE_NAME: 'huzhu',
      [ENV.tableName]: this.table.tableName,
      [ENV.bucketName]: this.bucket.bucketName,
      [ENV.rootOrgId]: this.rootOrgId,
    };
    if (perms.personalData) {
      environment[ENV.kmsKeyId] = this.piiKey.keyArn;
      environment[ENV.hmacSecretArn] = this.hmacSecret.secretArn;
    }

    const fn = new NodejsFunction(this, fid, {
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
    this.functions[key] = fn;

    // Grants: exactly what the route table's permissions say, nothing by default.
    if (perms.table === 'read') this.table.grantReadData(fn);
    if (perms.table === 'readwrite') this.table.grantReadWriteData(fn);
    if (perms.bucket === 'read') this.bucket.grantRead(fn);
    if (perms.bucket === 'readwrite') this.bucket.grantReadWrite(fn);
    if (perms.personalData) {
      this.piiKey.grant(fn, 'kms:GenerateDataKey', 'kms:Decrypt');
      this.hmacSecret.grantRead(fn);
    }
    this.acknowledgeFunctionFindings(key, fn, role, perms);

    this.routes[key] = new HttpRoute(this, routeIdFor(key), {
      httpApi: this.api,
      routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
      integration: new HttpLambdaIntegration(`${fid}Integration`, fn),
      authorizer: route.auth ? this.jwtAuthorizer : this.noneAuthorizer,
    });
    if (!route.auth) {
      Validations.of(this.routes[key]).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: `${route.method} ${route.path} is public by SPEC §2 (health, OpenAPI document, public disclosures); the route table marks it auth: false.`,
      });
    }
  }

  /** The cdk-nag findings every route function has by construction, acknowledged on its own role/function only. */
  private acknowledgeFunctionFindings(key: string, fn: NodejsFunction, role: Role, perms: RouteDef['permissions']): void {
    Validations.of(fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'Pinned to nodejs22.x on purpose (the runtime the code and its tests target); moving to a newer runtime is a deliberate upgrade, not drift.',
    });
    const ack = (finding: string, reason: string) =>
      Validations.of(role).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason: `${key}: ${reason}` });
    ack('Resource::*', 'X-Ray tracing (xray:PutTraceSegments, xray:PutTelemetryRecords) supports no resource-level permissions.');
    if (perms.table) {
      ack(
        `Resource::<${this.getLogicalId(this.table.node.defaultChild as CfnTable)}.Arn>/index/*`,
        'table grant covers the table\'s own secondary indexes (queries on gsi1); no other table.',
      );
    }
    if (perms.bucket) {
      const bucketArn = `<${this.getLogicalId(this.bucket.node.defaultChild as CfnBucket)}.Arn>`;
      ack(`Resource::${bucketArn}/*`, 'object-level access to the Huzhu data bucket only; object keys are made by the application.');
      const actions = perms.bucket === 'readwrite' ? [...BUCKET_READ_WILDCARD_ACTIONS, ...BUCKET_WRITE_WILDCARD_ACTIONS] : BUCKET_READ_WILDCARD_ACTIONS;
      for (const action of actions) ack(`Action::${action}`, `bucket.grant${perms.bucket === 'readwrite' ? 'ReadWrite' : 'Read'} action group, scoped to the data bucket.`);
    }
  }
}
