import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { AssetHashType, Aws, type CfnElement, DockerImage, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';
import { consoleDir } from '../console/build';
import { consoleCsp } from './consoleHeaders';
import { repoRoot } from './cors';

/**
 * The console as a static site (SPEC §9): a private bucket read only by CloudFront through origin
 * access control, security headers with a strict CSP, and a generated config.json (API URL, Cognito
 * hosted UI). Built by Vite in `aws` mode at synth (no development sign-in in it).
 */
export interface ConsoleSite {
  bucket: Bucket;
  distribution: Distribution;
  /** `https://<id>.cloudfront.net`: added to the API's and the data bucket's CORS, and to Cognito's callback URLs. */
  origin: string;
}

export const makeConsoleSite = (scope: Construct, opts: { authDomain: string }): ConsoleSite => {
  const bucket = new Bucket(scope, 'ConsoleBucket', {
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    encryption: BucketEncryption.S3_MANAGED,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    // Build output only (no data): replaced by every deployment.
    removalPolicy: RemovalPolicy.DESTROY,
    autoDeleteObjects: true,
  });
  Validations.of(bucket).acknowledge({
    id: 'AwsSolutions-S1',
    reason: 'Holds the console build only (public static files, no personal data), read by CloudFront alone through OAC.',
  });
  // connect-src: the API, the bucket (presigned POST uploads) and Cognito's token endpoint. The API and the
  // data bucket name this site in their CORS, so naming them here by id would make a cycle: their hosts in this
  // region stand in (execute-api and S3 answer only signed or authorized requests).
  const csp = consoleCsp([
    `https://*.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`,
    `https://*.s3.${Aws.REGION}.${Aws.URL_SUFFIX}`,
    `https://${opts.authDomain}`,
  ]);
  const headers = new ResponseHeadersPolicy(scope, 'ConsoleHeaders', {
    comment: 'Huzhu console: strict CSP and security headers',
    securityHeadersBehavior: {
      contentSecurityPolicy: { contentSecurityPolicy: csp, override: true },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
      referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
    },
    customHeadersBehavior: {
      customHeaders: [
        { header: 'Permissions-Policy', value: 'camera=(self), geolocation=(), microphone=(), payment=()', override: true },
        { header: 'Cross-Origin-Opener-Policy', value: 'same-origin', override: true },
      ],
    },
  });
  const distribution = new Distribution(scope, 'ConsoleDistribution', {
    comment: 'Huzhu console (工作台)',
    defaultRootObject: 'index.html',
    priceClass: PriceClass.PRICE_CLASS_100,
    defaultBehavior: {
      origin: S3BucketOrigin.withOriginAccessControl(bucket),
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
      cachePolicy: CachePolicy.CACHING_OPTIMIZED,
      responseHeadersPolicy: headers,
    },
  });
  Validations.of(distribution).acknowledge(
    {
      id: 'AwsSolutions-CFR1',
      reason: 'Union members and staff may sign in from anywhere (travel, migrant workers); the API enforces access.',
    },
    {
      id: 'AwsSolutions-CFR2',
      reason:
        'Static files only, no forms posted to this origin; the API has its own throttling. Add a WAF web ACL if the federation funds it.',
    },
    {
      id: 'AwsSolutions-CFR3',
      reason:
        'Static public build files with no personal data; standard logging needs an ACL-enabled bucket, which the stack avoids. API access logs are kept.',
    },
    {
      id: 'AwsSolutions-CFR4',
      reason:
        'The default *.cloudfront.net certificate allows TLSv1 at the viewer; a custom domain with its certificate enforces TLSv1.2_2021.',
    },
  );
  return { bucket, distribution, origin: `https://${distribution.distributionDomainName}` };
};

/** The Vite build in `aws` mode, made at synth (locally; a Node image stands in where local bundling is unavailable). */
const consoleAsset = () => {
  const vite = join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js');
  const args = (out: string) => [
    vite,
    'build',
    '--config',
    join(consoleDir, 'vite.config.ts'),
    '--mode',
    'aws',
    '--outDir',
    out,
    '--emptyOutDir',
  ];
  return Source.asset(repoRoot, {
    // Hash what was built, not the repository (the build reads console/ and shared/).
    assetHashType: AssetHashType.OUTPUT,
    exclude: ['**', '!console/**', '!shared/**', '!package.json', '!package-lock.json', 'console/dist/**'],
    bundling: {
      image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:22'),
      command: [
        'bash',
        '-c',
        'npm ci --no-audit --no-fund && npx vite build --config console/vite.config.ts --mode aws --outDir /asset-output',
      ],
      local: {
        tryBundle(outputDir: string) {
          execFileSync(process.execPath, args(outputDir), { cwd: repoRoot, stdio: 'pipe' });
          return true;
        },
      },
    },
  });
};

/** Deploys the build and its config.json (after the API and the user pool exist), then invalidates the entry files. */
/**
 * How the console signs in: the Cognito hosted UI (authorization code + PKCE), or — when the stack uses another
 * OIDC provider (CDK context huzhu:jwt) — that provider's issuer and client id. The console's sign-in code speaks
 * Cognito's hosted UI today; an `oidc` config tells it where the provider is (README "Identity providers").
 */
export type ConsoleAuth = { kind: 'cognito'; domain: string; clientId: string } | { kind: 'oidc'; issuer: string; clientId: string };

export const deployConsole = (scope: Construct, site: ConsoleSite, config: { apiUrl: string; auth: ConsoleAuth }): BucketDeployment => {
  const deployment = new BucketDeployment(scope, 'ConsoleDeployment', {
    destinationBucket: site.bucket,
    sources: [
      consoleAsset(),
      Source.jsonData('config.json', {
        apiUrl: config.apiUrl,
        auth: { ...config.auth, redirectUri: `${site.origin}/`, logoutUri: `${site.origin}/` },
      }),
    ],
    distribution: site.distribution,
    distributionPaths: ['/index.html', '/config.json'],
    memoryLimit: 512,
  });
  // CDK's singleton that copies the build into the bucket at deploy time (a custom resource Lambda CDK owns).
  const singleton = Stack.of(scope).node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
  for (const target of singleton?.node.findAll() ?? [])
    for (const id of [
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      'AwsSolutions-L1',
      // Its grants: read the build from the CDK asset bucket, write and prune the console bucket (CDK's own wildcards).
      ...[
        'Action::s3:GetBucket*',
        'Action::s3:GetObject*',
        'Action::s3:List*',
        'Action::s3:Abort*',
        'Action::s3:DeleteObject*',
        'Resource::*',
      ]
        .concat(['Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*'])
        .concat([`Resource::<${Stack.of(scope).getLogicalId(site.bucket.node.defaultChild as CfnElement)}.Arn>/*`])
        .map((f) => `AwsSolutions-IAM5[${f}]`),
    ])
      Validations.of(target).acknowledge({
        id,
        reason:
          "CDK's own BucketDeployment handler (copies the console build and config.json into the console bucket at deploy time): " +
          'its role, the managed basic-execution policy, its S3 grants on the asset and console buckets and its runtime are chosen by CDK; it runs only during deployments.',
      });
  return deployment;
};
