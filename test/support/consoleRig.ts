import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { ensureConsoleBuilt } from '../../console/build';
import { loadOrCreateKey, signToken } from '../../infra/local/jwt';
import { type LocalStack, startLocalStack } from '../../infra/local/stack';
import type { Role } from '../../shared/domain/scope';

/** Debian's Chromium, never a downloaded browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Screenshots of the browser tests (git-ignored). */
export const SHOTS = join(import.meta.dirname, '..', 'e2e', 'screenshots');

/**
 * What the console's browser tests share: a whole local stack of their own (in memory, the console
 * built), Chromium, tokens signed with the stack's key, API calls, and pages signed in. Made at module
 * level, started in `beforeAll`, stopped in `afterAll`; its methods may be destructured.
 */
export const consoleRig = (name: string, opts: { timeoutMs?: number } = {}) => {
  let stack: LocalStack | undefined;
  let browser: Browser | undefined;
  let dir: string | undefined;
  let key: Awaited<ReturnType<typeof loadOrCreateKey>> | undefined;
  const started = <T>(x: T | undefined): T => {
    if (x === undefined) throw new Error(`${name}: the console rig is not started`);
    return x;
  };
  const timeoutMs = opts.timeoutMs ?? 30_000;

  const token = (role: Role, org: string, sub = `${role}-${org}`) => signToken(started(key), { sub, role, org });

  const call = async (method: string, path: string, tok: string, body?: unknown) => {
    const res = await fetch(`${started(stack).url}${path}`, {
      method,
      headers: { authorization: `Bearer ${tok}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };

  const newPage = async (width: number) => {
    const page = await started(browser).newPage({ viewport: { width, height: 900 }, locale: 'zh-CN' });
    page.setDefaultTimeout(timeoutMs);
    page.on('pageerror', (e) => console.error('page error:', e.message));
    return page;
  };

  /** A fresh page signed in through the development sign-in form, as a person would. */
  const signIn = async (role: Role, org: string, width = 1280): Promise<Page> => {
    const page = await newPage(width);
    await page.goto(`${started(stack).url}/console/`);
    await page.selectOption('[data-testid=dev-signin] select[name=role]', role);
    await page.fill('[data-testid=dev-signin] input[name=org]', org);
    await page.click('[data-testid=dev-signin] button');
    await page.waitForSelector('[data-testid=who]');
    return page;
  };

  /** A page signed in as a named person (the four-eyes rule needs a second one): their token in the session, as the sign-in leaves it. */
  const signInAs = async (role: Role, org: string, sub: string): Promise<Page> => {
    const t = await token(role, org, sub);
    const page = await newPage(1280);
    await page.addInitScript(`sessionStorage.setItem('huzhu.token', ${JSON.stringify(t)})`);
    await page.goto(`${started(stack).url}/console/`);
    await page.waitForSelector('[data-testid=who]');
    return page;
  };

  /** The roster page (`query`: e.g. `?unitId=…` for staff, who choose the unit), with `planId` chosen in its form. */
  const openRosters = async (page: Page, planId: string, query = '') => {
    await page.goto(`${started(stack).url}/console/#/rosters${query}`);
    await page.selectOption('[data-testid=roster-form] select[name=planId]', planId);
  };

  /** Picks a CSV roster in the form and sends it, as a clerk does (any other field is filled before). */
  const sendRoster = async (page: Page, file: { name: string; csv: string }) => {
    await page.setInputFiles('[data-testid=roster-form] input[type=file]', {
      name: file.name,
      mimeType: 'text/csv',
      buffer: Buffer.from(file.csv),
    });
    await page.click('[data-testid=roster-form] button');
  };

  return {
    get stack() {
      return started(stack);
    },
    get browser() {
      return started(browser);
    },
    token,
    call,
    signIn,
    signInAs,
    openRosters,
    sendRoster,
    start: async () => {
      mkdirSync(SHOTS, { recursive: true });
      dir = mkdtempSync(join(tmpdir(), `${name}-`));
      await ensureConsoleBuilt('localstack');
      stack = await startLocalStack({ port: 0, dataDir: dir, inMemory: true, tableName: name, bucketName: name });
      key = await loadOrCreateKey(join(dir, 'jwt-key.json'));
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    },
    stop: async () => {
      await browser?.close();
      await stack?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
};
