import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StringAttribute,
  UserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import type { Construct } from 'constructs';

/**
 * Who signs the API's tokens (CDK context `huzhu:jwt`, README "Identity provider"). Cognito by default: this
 * stack's user pool, its ID tokens' `custom:role` / `custom:org`. Where Cognito is not offered, another OIDC
 * provider: its issuer URL, the audience its ID tokens carry (`aud`), the claims naming the role and the org,
 * and the `claim=value` that marks an ID token (access tokens must not pass; `none` if the provider's cannot be told apart).
 */
export interface IdentityProvider {
  issuer: string;
  audience: string[];
  roleClaim: string;
  orgClaim: string;
  idTokenClaim: string;
}

/** `huzhu:jwt` context → an external provider, or undefined for Cognito. Claim names default to Cognito's. */
export const identityProviderFrom = (v: unknown): IdentityProvider | undefined => {
  if (v === undefined || v === null || v === '') return undefined;
  const o = (typeof v === 'string' ? JSON.parse(v) : v) as Record<string, unknown>;
  if (typeof o.issuer !== 'string' || !/^https:\/\/\S+$/.test(o.issuer)) throw new Error('huzhu:jwt.issuer must be an https URL');
  const audience = [o.audience].flat().filter((a): a is string => typeof a === 'string' && a !== '');
  if (audience.length === 0) throw new Error('huzhu:jwt.audience must name the client id(s) its ID tokens carry in aud');
  const str = (x: unknown, d: string) => (typeof x === 'string' && x !== '' ? x : d);
  return {
    issuer: o.issuer,
    audience,
    roleClaim: str(o.roleClaim, 'custom:role'),
    orgClaim: str(o.orgClaim, 'custom:org'),
    idTokenClaim: str(o.idTokenClaim, 'token_use=id'),
  };
};

/** The Cognito user pool (administrator-created accounts only) and the web app's client. */
export const makeAuth = (
  scope: Construct,
  consoleOrigins: string[],
  site: { domainPrefix: string; consoleOrigin: string },
): { userPool: UserPool; userPoolClient: UserPoolClient } => {
  const userPool = new UserPool(scope, 'UserPool', {
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
  const userPoolClient = userPool.addClient('WebClient', {
    generateSecret: false,
    // SRP for SDK sign-in, and the hosted UI's authorization-code flow with PKCE for the web console;
    // never the plain user-password flow, which sends the password itself to Cognito.
    authFlows: { userSrp: true },
    oAuth: {
      flows: { authorizationCodeGrant: true },
      scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
      // The deployed console (its CloudFront site's root) and any configured origin serving it at /console/.
      callbackUrls: [`${site.consoleOrigin}/`, ...consoleOrigins.map((o) => `${o}/console/`)],
      logoutUrls: [`${site.consoleOrigin}/`, ...consoleOrigins.map((o) => `${o}/console/`)],
    },
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
  // The hosted UI (authorization code with PKCE) lives on this domain; the prefix comes from configuration.
  userPool.addDomain('HostedUiDomain', { cognitoDomain: { domainPrefix: site.domainPrefix } });
  return { userPool, userPoolClient };
};
