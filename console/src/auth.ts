import { getToken, setToken } from './api';
import { config } from './config';
import type { Role } from './types';

export interface Session {
  sub: string;
  role: Role;
  org: string;
  exp: number;
}

const b64url = (s: string) =>
  atob(
    s
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .padEnd(Math.ceil(s.length / 4) * 4, '='),
  );

/** What the console shows and offers by (the API decides access; this only hides what would be refused). */
export const sessionOf = (token: string | null): Session | null => {
  if (!token) return null;
  try {
    const p = JSON.parse(decodeURIComponent(escape(b64url(token.split('.')[1] ?? '')))) as Record<string, unknown>;
    const role = (p.role ?? p['custom:role']) as Role;
    const org = String(p.org ?? p['custom:org'] ?? '');
    const exp = Number(p.exp ?? 0);
    if (!role || !org || exp * 1000 < Date.now()) return null;
    return { sub: String(p.sub), role, org, exp };
  } catch {
    return null;
  }
};

export const currentSession = () => sessionOf(getToken());

const random = (n: number) => {
  const a = new Uint8Array(n);
  crypto.getRandomValues(a);
  return btoa(String.fromCharCode(...a))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
};
const sha256 = async (s: string) => {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(s)));
  return btoa(String.fromCharCode(...d))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
};

/** Cognito hosted UI, authorization code with PKCE (S256); the verifier never leaves this tab. */
export const startCognitoSignIn = async () => {
  const c = config().auth;
  if (c.kind !== 'cognito') return;
  const verifier = random(48);
  const state = random(16);
  sessionStorage.setItem('huzhu.pkce', JSON.stringify({ verifier, state }));
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: c.clientId,
    redirect_uri: c.redirectUri,
    scope: 'openid email profile',
    state,
    code_challenge: await sha256(verifier),
    code_challenge_method: 'S256',
  });
  location.assign(`https://${c.domain}/oauth2/authorize?${q}`);
};

/** Back from the hosted UI with ?code=&state=: trade the code for tokens; the ID token is the API's bearer (SPEC §3). */
export const finishCognitoSignIn = async (): Promise<boolean> => {
  const c = config().auth;
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  if (c.kind !== 'cognito' || !code) return false;
  const saved = JSON.parse(sessionStorage.getItem('huzhu.pkce') ?? 'null') as { verifier: string; state: string } | null;
  sessionStorage.removeItem('huzhu.pkce');
  history.replaceState(null, '', location.pathname + location.hash);
  if (!saved || saved.state !== params.get('state')) return false;
  const res = await fetch(`https://${c.domain}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: c.clientId,
      code,
      redirect_uri: c.redirectUri,
      code_verifier: saved.verifier,
    }),
  });
  if (!res.ok) return false;
  const t = (await res.json()) as { id_token?: string };
  if (!t.id_token) return false;
  setToken(t.id_token);
  return true;
};

export const signOut = () => {
  setToken(null);
  const c = config().auth;
  if (c.kind === 'cognito')
    location.assign(`https://${c.domain}/logout?${new URLSearchParams({ client_id: c.clientId, logout_uri: c.logoutUri })}`);
  else location.hash = '#/';
};

export const ROLE_NAMES: Record<Role, string> = {
  federation_admin: '总工会工作人员',
  office_staff: '办事处/代办点工作人员',
  unit_admin: '基层单位工会经办人',
};
