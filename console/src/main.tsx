import { type ComponentType, render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { onUnauthorized, setToken } from './api';
import { currentSession, finishCognitoSignIn, ROLE_NAMES, type Session, signOut, startCognitoSignIn } from './auth';
import { config, loadConfig } from './config';
import { DevSignIn } from './devSignIn';
import type { Role } from './types';
import { Loading } from './ui';

export interface PageProps {
  session: Session;
  /** Path segments after the page's own (`#/claims/ABC` → ['ABC']). */
  args: string[];
}

type Loader = () => Promise<{ default: ComponentType<PageProps> }>;
interface PageDef {
  title: string;
  load: Loader;
  roles?: Role[];
  nav?: boolean;
}

const ALL: Role[] = ['federation_admin', 'office_staff', 'unit_admin'];
const STAFF: Role[] = ['federation_admin', 'office_staff'];
/** One chunk per page (code-splitting): the first page loads the shell and its own page only. */
const PAGES: Record<string, PageDef> = {
  '': { title: '首页', load: () => import('./pages/Home'), roles: ALL, nav: true },
  orgs: { title: '组织与目标', load: () => import('./pages/Orgs'), roles: ALL, nav: true },
  plans: { title: '互助方案', load: () => import('./pages/Plans'), roles: ALL, nav: true },
  rosters: { title: '名单上传', load: () => import('./pages/Rosters'), roles: ALL, nav: true },
  members: { title: '会员查询', load: () => import('./pages/Members'), roles: ALL, nav: true },
  enrolments: { title: '会员参保', load: () => import('./pages/Members'), roles: ALL },
  claims: { title: '互助金申请', load: () => import('./pages/Claims'), roles: ALL, nav: true },
  review: { title: '审核', load: () => import('./pages/Review'), roles: STAFF, nav: true },
  payments: { title: '支付', load: () => import('./pages/Payments'), roles: ['federation_admin'], nav: true },
  report: { title: '统计报表', load: () => import('./pages/Report'), roles: ALL, nav: true },
  evaluations: { title: '考核兑现', load: () => import('./pages/Evaluations'), roles: ALL, nav: true },
  simulation: { title: '方案测算', load: () => import('./pages/Simulation'), roles: ['federation_admin'], nav: true },
};

const route = () => {
  const path = (location.hash.replace(/^#\/?/, '').split('?')[0] ?? '').split('/').filter(Boolean);
  return { name: path[0] ?? '', args: path.slice(1) };
};

const LazyPage = ({ def, props }: { def: PageDef; props: PageProps }) => {
  const [C, setC] = useState<ComponentType<PageProps> | null>(null);
  useEffect(() => {
    let live = true;
    setC(null);
    def.load().then((m) => live && setC(() => m.default));
    return () => {
      live = false;
    };
  }, [def]);
  return C ? <C {...props} /> : <Loading />;
};

const Public = ({ args }: { args: string[] }) => {
  const [C, setC] = useState<ComponentType<{ args: string[] }> | null>(null);
  useEffect(() => {
    import('./pages/Disclosure').then((m) => setC(() => m.default));
  }, []);
  return C ? <C args={args} /> : <Loading />;
};

/** A constant after Vite's replacement: in the AWS build this is null and devSignIn.tsx is left out entirely. */
const Dev = import.meta.env.MODE === 'localstack' ? DevSignIn : null;

const SignIn = ({ onSignedIn }: { onSignedIn: () => void }) => {
  return (
    <main class="page">
      {config().auth.kind === 'cognito' && (
        <div class="card signin">
          <h2>登录工作台</h2>
          <p>请使用工会为您开通的账号登录。</p>
          <button type="button" onClick={() => void startCognitoSignIn()}>
            登录
          </button>
        </div>
      )}
      {Dev && config().auth.kind === 'local' && <Dev onSignedIn={onSignedIn} />}
      <p class="hint">
        不用登录也可以查看 <a href="#/public">互助金公示</a>。
      </p>
    </main>
  );
};

const App = () => {
  const [session, setSession] = useState<Session | null>(currentSession());
  const [r, setR] = useState(route());
  const [menu, setMenu] = useState(false);
  useEffect(() => {
    const f = () => {
      setR(route());
      setMenu(false);
    };
    addEventListener('hashchange', f);
    onUnauthorized(() => {
      setToken(null);
      setSession(null);
    });
    return () => removeEventListener('hashchange', f);
  }, []);

  const header = (
    <header class="top">
      <a class="brand" href="#/">
        职工医疗互助 · 工作台
      </a>
      {session && (
        <>
          <button type="button" class="menu-toggle" aria-expanded={menu} onClick={() => setMenu(!menu)}>
            菜单
          </button>
          <span class="who" data-testid="who">
            {ROLE_NAMES[session.role]} · {session.org}
          </span>
          <button
            type="button"
            class="link"
            onClick={() => {
              signOut();
              setSession(null);
            }}
          >
            退出
          </button>
        </>
      )}
    </header>
  );
  if (r.name === 'public')
    return (
      <>
        {header}
        <main class="page">
          <Public args={r.args} />
        </main>
      </>
    );
  if (!session)
    return (
      <>
        {header}
        <SignIn onSignedIn={() => setSession(currentSession())} />
      </>
    );
  const def = PAGES[r.name];
  const allowed = def && (def.roles ?? ALL).includes(session.role);
  return (
    <>
      {header}
      <div class="layout">
        <nav class={menu ? 'side open' : 'side'}>
          {Object.entries(PAGES)
            .filter(([, d]) => d.nav && (d.roles ?? ALL).includes(session.role))
            .map(([k, d]) => (
              <a key={k} href={`#/${k}`} class={k === r.name ? 'active' : ''}>
                {d.title}
              </a>
            ))}
          <a href="#/public">互助金公示</a>
        </nav>
        <main class="page">
          {allowed ? (
            <LazyPage def={def} props={{ session, args: r.args }} />
          ) : (
            <p class="problem">{def ? '您的角色不能使用这个页面。' : '没有这个页面。'}</p>
          )}
        </main>
      </div>
    </>
  );
};

const start = async () => {
  const root = document.getElementById('app')!;
  try {
    await loadConfig();
    await finishCognitoSignIn().catch(() => false);
  } catch {
    root.innerHTML = '<p class="problem">工作台配置读取失败，请稍后刷新重试。</p>';
    return;
  }
  root.textContent = '';
  render(<App />, root);
};
void start();
