import { Aws, CfnOutput, CustomResource, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { type HttpApi, HttpRoute, HttpRouteKey, type HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { Key } from 'aws-cdk-lib/aws-kms';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import type { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { ENV } from '../shared/config';
import type { RouteDef } from '../shared/http/route';
import { routes } from '../shared/http/routes';
import { type JobDef, jobs } from '../shared/jobs';
import { type HuzhuApiProps, makeApi } from './api';
import { type IdentityProvider, makeAuth } from './auth';
import { type ConsoleAuth, type ConsoleSite, deployConsole, makeConsoleSite } from './consoleSite';
import { makeAlerts } from './alerts';
import { makeData } from './data';
import { wireRosterImports } from './importEvents';
import { checkedRootOrgName } from './rootOrg';
import { scheduleNightlyReport } from './schedule';
import { MAX_ROUTE_TIMEOUT_SECONDS, makeFunction, makeRouteFunction } from './routeFunction';

export { FUNCTION_TAG, functionIdFor, routeIdFor } from './routeFunction';

export interface HuzhuStackProps extends StackProps {
  /** Browser origins allowed by API Gateway CORS and by the bucket's CORS (presigned POST uploads). */
  corsOrigins: string[];
  /** Id of the federation (root org); passed to every function as ENV.rootOrgId and created at deploy time. */
  rootOrgId: string;
  /** The root org's Chinese name (SPEC §4.1; default 总工会), handed to the deploy-time custom resource; a change renames the root. */
  rootOrgName?: string;
  /** Prefix of the Cognito hosted UI domain (`<prefix>.auth.<region>.amazoncognito.com`); default `huzhu-<account>`. */
  authDomainPrefix?: string;
  /**
   * The route table to build from. Defaults to `shared/http/routes` (its index); tests pass a variant
   * (same keys, so the handler files exist) to exercise permission combinations.
   */
  routeTable?: Readonly<Record<string, RouteDef>>;
  /** Another OIDC provider instead of a Cognito user pool (CDK context `huzhu:jwt`); undefined: Cognito. */
  identityProvider?: IdentityProvider;
}

/**
 * The Huzhu stack: data (infra/data.ts), identity (infra/auth.ts), the HTTP API (infra/api.ts),
 * one function per route table entry (infra/routeFunction.ts), the catch-all route, and the
 * deploy-time root org. The parts are plain functions building into this stack, not nested
 * constructs: a wrapping construct would add a path segment and so change every logical id,
 * replacing the retained table, bucket, key and user pool.
 */
export class HuzhuStack extends Stack {
  readonly table: Table;
  readonly bucket: Bucket;
  readonly piiKey: Key;
  readonly hmacSecret: Secret;
  readonly cursorSecret: Secret;
  /** Absent when another OIDC provider signs the tokens (props.identityProvider). */
  readonly userPool?: UserPool;
  readonly userPoolClient?: UserPoolClient;
  readonly api: HttpApi;
  readonly stage: HttpStage;
  /** Operational alarms (the nightly report's dead letters, its errors) notify this topic. */
  readonly alerts: Topic;
  /** Route table (and jobs) key → its function. */
  readonly functions: Record<string, NodejsFunction> = {};
  /** Route table key → its HTTP API route (plus `notFound` → the `$default` route). */
  readonly routes: Record<string, HttpRoute> = {};
  /** The console's address (`https://<id>.cloudfront.net`); `/` leads there. */
  readonly consoleUrl: string;
  /** The console's static site: its private bucket and CloudFront distribution (infra/consoleSite.ts). */
  readonly consoleSite: ConsoleSite;

  constructor(scope: Construct, id: string, props: HuzhuStackProps) {
    super(scope, id, props);
    // Exact origins only (scheme://host[:port], no path or trailing slash, which never match): no wildcard.
    const badOrigin = props.corsOrigins.find((o) => !/^https?:\/\/[^/*\s]+$/.test(o));
    if (props.corsOrigins.length === 0 || badOrigin !== undefined) {
      throw new Error(`corsOrigins must list exact origins like https://huzhu.example.org; got ${JSON.stringify(props.corsOrigins)}`);
    }

    // The console's own site comes first: its CloudFront origin joins the configured ones in every CORS list
    // and in Cognito's callback URLs, from the construct itself (never a hard-coded list).
    const authDomainPrefix = props.authDomainPrefix ?? `huzhu-${Aws.ACCOUNT_ID}`;
    const authDomain = `${authDomainPrefix}.auth.${Aws.REGION}.amazoncognito.com`;
    const site = makeConsoleSite(this, { authDomain });
    this.consoleUrl = site.origin;
    this.consoleSite = site;
    const origins = [...props.corsOrigins, site.origin];

    const data = makeData(this, origins);
    ({ table: this.table, bucket: this.bucket, piiKey: this.piiKey, hmacSecret: this.hmacSecret, cursorSecret: this.cursorSecret } = data);
    const idp = props.identityProvider;
    let issuer: HuzhuApiProps['issuer'];
    let consoleAuth: ConsoleAuth;
    if (idp) {
      issuer = { url: idp.issuer, audience: idp.audience };
      consoleAuth = { kind: 'oidc', issuer: idp.issuer, clientId: idp.audience[0] ?? '' };
    } else {
      const cognito = makeAuth(this, props.corsOrigins, { domainPrefix: authDomainPrefix, consoleOrigin: site.origin });
      ({ userPool: this.userPool, userPoolClient: this.userPoolClient } = cognito);
      issuer = cognito;
      consoleAuth = { kind: 'cognito', domain: authDomain, clientId: cognito.userPoolClient.userPoolClientId };
    }
    const api = makeApi(this, { corsOrigins: origins, issuer });
    // Every function reads the caller from these claims (shared/config.ts ENV.jwt*).
    const claims = {
      role: idp?.roleClaim ?? 'custom:role',
      org: idp?.orgClaim ?? 'custom:org',
      idToken: idp?.idTokenClaim ?? 'token_use=id',
    };
    ({ api: this.api, stage: this.stage } = api);

    const table = props.routeTable ?? routes;
    const seen = new Map<string, string>();
    for (const [key, route] of Object.entries(table)) {
      const routeKey = `${route.method} ${route.path}`;
      const other = seen.get(routeKey);
      if (other) throw new Error(`Route table: ${key} and ${other} both declare ${routeKey}`);
      seen.set(routeKey, key);
      const built = makeRouteFunction(this, key, route, { data, api, rootOrgId: props.rootOrgId, claims });
      this.functions[key] = built.fn;
      this.routes[key] = built.route;
    }

    // Every job gets its function like a route does; then each is wired to what invokes it.
    for (const [key, spec] of Object.entries(jobs) as [string, JobDef][]) {
      this.functions[key] = makeFunction(
        this,
        key,
        { ...spec, timeoutSeconds: spec.timeoutSeconds ?? MAX_ROUTE_TIMEOUT_SECONDS },
        data,
        props.rootOrgId,
      );
    }

    // `$default`: every request no route matches gets a 404 (or 405 + Allow) problem, not API Gateway's own body.
    this.routes.notFound = new HttpRoute(this, 'RouteNotFound', {
      httpApi: this.api,
      routeKey: HttpRouteKey.DEFAULT,
      integration: new HttpLambdaIntegration('FnNotFoundIntegration', this.functions.notFound!),
      authorizer: api.noneAuthorizer,
    });
    Validations.of(this.routes.notFound).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason: 'The $default catch-all only answers 404/405 problem+json for routes that do not exist; it reads nothing and has no grants.',
    });

    // The root org exists from the first deployment (SPEC §4.1); the resource re-runs (idempotently) when the id
    // changes, and renames the root when its configured name changes.
    new CustomResource(this, 'RootOrg', {
      serviceToken: this.functions.ensureRoot!.functionArn,
      resourceType: 'Custom::HuzhuRootOrg',
      properties: { RootOrgId: props.rootOrgId, RootOrgName: checkedRootOrgName(props.rootOrgName) },
    });

    this.alerts = makeAlerts(this);
    const report = this.functions.nightlyReport;
    if (report) scheduleNightlyReport(this, report, this.alerts);
    const importer = this.functions.rosterImport;
    if (importer) wireRosterImports(this, this.bucket, importer);

    deployConsole(this, site, { apiUrl: this.api.apiEndpoint, auth: consoleAuth });
    this.functions.home?.addEnvironment(ENV.consoleUrl, `${site.origin}/`);

    new CfnOutput(this, 'ApiUrl', { value: this.stage.url });
    new CfnOutput(this, 'ConsoleUrl', { value: `${site.origin}/`, description: 'The web console (工作台)' });
    if (this.userPool) new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    if (this.userPoolClient) new CfnOutput(this, 'UserPoolClientId', { value: this.userPoolClient.userPoolClientId });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'BucketName', { value: this.bucket.bucketName });
    new CfnOutput(this, 'AlertsTopicArn', { value: this.alerts.topicArn, description: 'Subscribe the operators to this topic' });
  }
}
