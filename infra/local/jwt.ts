import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type JWK, type JWTPayload } from 'jose';
import type { Role } from '../../shared/domain/scope';

/**
 * The local stand-in for the Cognito issuer: an ES256 key kept under .local/,
 * tokens with the same claims API Gateway's JWT authorizer passes on.
 */
export const LOCAL_ISSUER = 'https://huzhu.local/issuer';
export const LOCAL_AUDIENCE = 'huzhu-local';

interface StoredKey {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

export const loadOrCreateKey = async (file: string): Promise<StoredKey> => {
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as StoredKey;
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const key: StoredKey = {
    kid: `local-${Date.now().toString(36)}`,
    privateJwk: await exportJWK(privateKey),
    publicJwk: await exportJWK(publicKey),
  };
  writeFileSync(file, JSON.stringify(key), { mode: 0o600 });
  return key;
};

export interface TokenClaims {
  sub: string;
  role: Role;
  org: string;
}

/**
 * The claims of a Cognito ID token of this user (its custom attributes, `token_use: id`): the only shape the
 * functions read (shared/http/middleware/authenticate.ts). Local tokens, tests and benchmarks use it too.
 */
export const idTokenClaims = (c: { sub: string; role: string; org: string }): Record<string, string> => ({
  sub: c.sub,
  'custom:role': c.role,
  'custom:org': c.org,
  token_use: 'id',
});

export const signToken = async (key: StoredKey, claims: TokenClaims, ttlSeconds = 12 * 3600): Promise<string> =>
  new SignJWT({ 'custom:role': claims.role, 'custom:org': claims.org, token_use: 'id' })
    .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(await importJWK(key.privateJwk, 'ES256'));

/**
 * What the HTTP API JWT authorizer checks: signature, issuer, audience, expiry
 * (and nbf). Anything else (unsigned `alg: none`, HS256 with the public key) is rejected.
 */
export const makeVerifier = async (key: StoredKey) => {
  const publicKey = await importJWK(key.publicJwk, 'ES256');
  return async (token: string): Promise<JWTPayload> =>
    (await jwtVerify(token, publicKey, { issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE, algorithms: ['ES256'] })).payload;
};
