import { useState } from 'preact/hooks';
import { setToken } from './api';
import { config } from './config';
import type { Role } from './types';
import { ROLE_NAMES } from './auth';

/**
 * Local development sign-in: role + org, a token from the local stack's own signing key
 * (POST /local/dev-token, served by the local gateway only). Vite drops this module from the AWS build.
 */
export const DevSignIn = ({ onSignedIn }: { onSignedIn: () => void }) => {
  const [role, setRole] = useState<Role>('federation_admin');
  const [org, setOrg] = useState('root');
  const [error, setError] = useState('');
  const submit = async (e: Event) => {
    e.preventDefault();
    setError('');
    const res = await fetch(`${config().apiUrl}/local/dev-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role, org: org.trim() }),
    });
    const body = (await res.json().catch(() => ({}))) as { token?: string; detail?: string };
    if (!res.ok || !body.token) return setError(body.detail ?? '登录失败');
    setToken(body.token);
    onSignedIn();
  };
  return (
    <form class="card signin" onSubmit={submit} data-testid="dev-signin">
      <h2>开发环境登录</h2>
      <p class="hint">本机开发用：选择角色和所属组织即可登录（正式环境使用统一身份认证，没有这个入口）。</p>
      <label>
        角色
        <select name="role" value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
          {(Object.keys(ROLE_NAMES) as Role[]).map((r) => (
            <option value={r} key={r}>
              {ROLE_NAMES[r]}
            </option>
          ))}
        </select>
      </label>
      <label>
        所属组织编号
        <input name="org" value={org} onInput={(e) => setOrg(e.currentTarget.value)} required />
      </label>
      {error && <p class="error">{error}</p>}
      <button type="submit">登录</button>
    </form>
  );
};
