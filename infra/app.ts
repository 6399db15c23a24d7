import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { checkedRootOrgName, ROOT_ORG_NAME_CONTEXT } from './rootOrg';
import { identityProviderFrom } from './auth';
import { HuzhuStack } from './stack';

/**
 * The CDK app (`npx cdk synth` / `deploy`). Settings come from cdk.json context and can be
 * overridden on the command line: `-c huzhu:corsOrigins='["https://huzhu.example.org"]'`
 * (a JSON array or a comma-separated list; the console's own CloudFront origin is always added),
 * `-c huzhu:rootOrgId=root`, `-c huzhu:rootOrgName=总工会` (the root org's Chinese name, SPEC §4.1; the local
 * stack reads the same cdk.json setting) and `-c huzhu:authDomainPrefix=<prefix>` (the Cognito hosted UI domain).
 * `huzhu:jwt` (absent: Cognito) names another OIDC provider where Cognito is not offered:
 * `-c huzhu:jwt='{"issuer":"https://id.example.org/realms/huzhu","audience":["huzhu-api"],"roleClaim":"huzhu_role","orgClaim":"huzhu_org","idTokenClaim":"typ=ID"}'`.
 */
const app = new App();

const stringList = (v: unknown): string[] => {
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === 'string') {
    const t = v.trim();
    if (t.startsWith('[')) return (JSON.parse(t) as unknown[]).map(String);
    return t
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  }
  return [];
};

// Empty when this file is run without the CDK CLI (which reads cdk.json): HuzhuStack then refuses to build.
const corsOrigins = stringList(app.node.tryGetContext('huzhu:corsOrigins'));
const rootOrgId = String(app.node.tryGetContext('huzhu:rootOrgId') ?? 'root');
const rootOrgName = checkedRootOrgName(app.node.tryGetContext(ROOT_ORG_NAME_CONTEXT));
const identityProvider = identityProviderFrom(app.node.tryGetContext('huzhu:jwt'));
// The Cognito hosted UI's domain prefix (globally unique per region); default huzhu-<account id>.
const authDomainPrefix = app.node.tryGetContext('huzhu:authDomainPrefix') as string | undefined;

new HuzhuStack(app, 'Huzhu', {
  description: 'Huzhu: trade-union medical mutual aid (API, storage, identity)',
  corsOrigins,
  rootOrgId,
  rootOrgName,
  ...(identityProvider ? { identityProvider } : {}),
  ...(authDomainPrefix ? { authDomainPrefix } : {}),
  // Environment-agnostic on purpose: the region (e.g. cn-north-1) and account come from the deploying
  // profile, so an offline `cdk synth` never bakes a default region into the template.
});

// cdk-nag v3 is a policy-validation plugin: findings land in the synth's validation report and fail
// the synth. Acknowledgements are per resource, with a reason, next to the resource (infra/data.ts, auth.ts,
// routeFunction.ts); none is global.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

app.synth();
