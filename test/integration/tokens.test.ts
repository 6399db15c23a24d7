/**
 * Which token claims name the caller (SPEC §2, issue 19): in AWS only an ID
 * token, and only its `custom:role` / `custom:org` (Cognito custom attributes
 * that only administrators write) — or the claim names a deployment
 * configures for another OIDC provider (CDK context huzhu:jwt).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/config';
import { createTree } from '../support/fixtures';
import { invoke } from '../support/invoke';

let tree: Awaited<ReturnType<typeof createTree>>;
beforeAll(async () => {
  tree = await createTree(1);
});

const getOrg = (claims: Record<string, string>, deps = {}) => invoke('getOrg', { params: { id: 'root' }, claims, deps });

describe('token claims', () => {
  it('reads custom:role and custom:org of an ID token', async () => {
    const r = await getOrg({ sub: 'u', 'custom:role': 'federation_admin', 'custom:org': 'root', token_use: 'id' });
    expect(r.status).toBe(200);
  });

  it('plain role/org claims are never read: alone they are 401, beside custom: ones they lose', async () => {
    expect((await getOrg({ sub: 'u', role: 'federation_admin', org: 'root', token_use: 'id' })).status).toBe(401);
    const mixed = await getOrg({
      sub: 'u',
      role: 'federation_admin',
      org: 'root',
      'custom:role': 'unit_admin',
      'custom:org': tree.units[0]!,
      token_use: 'id',
    });
    // The unit clerk does not reach the root.
    expect([mixed.status, mixed.body.code]).toEqual([403, 'FORBIDDEN']);
  });

  it('an access token (or a token that does not say it is an ID token) is 401', async () => {
    const claims = { sub: 'u', 'custom:role': 'federation_admin', 'custom:org': 'root' };
    expect((await getOrg({ ...claims, token_use: 'access', client_id: 'c' })).status).toBe(401);
    expect((await getOrg(claims)).status).toBe(401);
  });

  it('another OIDC provider: the configured claim names and ID-token mark are read instead', async () => {
    const config = { ...loadConfig(), jwtClaims: { role: 'huzhu_role', org: 'huzhu_org', idToken: 'typ=ID' } };
    const keycloak = { sub: 'u', huzhu_role: 'federation_admin', huzhu_org: 'root', typ: 'ID' };
    expect((await getOrg(keycloak, { config })).status).toBe(200);
    expect((await getOrg({ ...keycloak, typ: 'Bearer' }, { config })).status).toBe(401);
    expect((await getOrg({ sub: 'u', 'custom:role': 'federation_admin', 'custom:org': 'root', token_use: 'id' }, { config })).status).toBe(
      401,
    );
  });
});
