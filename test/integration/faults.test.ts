import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/config';
import type { Role } from '../../shared/domain/scope';
import type { RouteDef } from '../../shared/http/route';
import { type RouteName, routes } from '../../shared/http/routes';
import { s3Of } from '../../shared/objects/client';
import { RETRY_DEFAULTS } from '../../shared/store/retry';
import { faultyStore, throttled } from '../support/faults';
import { invoke } from '../support/invoke';
import { buildWorld, matrix, principalOf, type World } from '../support/routeMatrix';

/**
 * Faults on every writing route (SPEC §7): DynamoDB throttling every write,
 * DynamoDB unavailable for every call, and S3 unavailable, injected at the
 * SDK middleware stack. Each answers 503 problem+json with Retry-After, and
 * no DynamoDB write of the request lands (nothing partial). A route "writes"
 * when its clean request (the authorization matrix's, as its first admitted
 * role) sends at least one DynamoDB write: that is measured, not assumed.
 */
const WRITES = new Set(['TransactWriteItemsCommand', 'UpdateItemCommand', 'PutItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand']);
const unavailable = () =>
  Object.assign(new Error('Service Unavailable'), { name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } });

/** A store that counts the writes that reached DynamoDB Local (after `fault` let them through). */
const countingStore = (fault: (command: string) => Error | undefined) => {
  let landed = 0;
  const s = faultyStore((command) => fault(command));
  s.deps.ddb!.middlewareStack.add(
    (next, context) => async (args) => {
      const out = await next(args);
      if (WRITES.has(context.commandName ?? '')) landed++;
      return out;
    },
    { step: 'initialize', name: 'countLanded', priority: 'low' },
  );
  return { deps: s.deps, landed: () => landed };
};

/** Deps whose S3 client fails every request it sends (presigning, which sends nothing, still works). */
const s3Down = () => {
  const config = { ...loadConfig() };
  s3Of({ config }).middlewareStack.add(
    () => async () => {
      throw unavailable();
    },
    { step: 'deserialize', name: 's3Down', priority: 'high' },
  );
  return { config };
};

let w: World;
const writing: RouteName[] = [];
beforeAll(async () => {
  // Fewer, shorter retries: each fault below otherwise waits out the full backoff before its 503.
  Object.assign(RETRY_DEFAULTS, { retries: 1, minTimeout: 1, maxTimeout: 5 });
  w = await buildWorld();
}, 180_000);

const writingRoutes = (Object.entries(matrix) as [RouteName, (typeof matrix)[RouteName]][]).filter(([name, row]) => {
  const r = routes[name] as RouteDef;
  const ok = typeof row.ok === 'number' ? row.ok : 200;
  return r.auth && ok < 300 && (r.permissions.table === 'readwrite' || (r.permissions.bucket?.write?.length ?? 0) > 0);
});

const send = async (name: RouteName, deps: Record<string, unknown>) => {
  const row = matrix[name];
  const role: Role = row.allow[0]!;
  const req = await row.call(w, role);
  return invoke(name, { ...req, claims: principalOf(w, role), deps: { ...(row.clock ? { clock: row.clock } : {}), ...req.deps, ...deps } });
};

describe('faults on every writing route (SPEC §7)', () => {
  it('DynamoDB throttling every write, or unavailable altogether: 503 with Retry-After, no write lands', async () => {
    const wrong: string[] = [];
    for (const [name] of writingRoutes) {
      const clean = countingStore(() => undefined);
      const ok = await send(name, clean.deps);
      expect(ok.status, `${name} clean: ${ok.text}`).toBeLessThan(300);
      if (clean.landed() === 0) continue;
      writing.push(name);
      for (const [what, fault] of [
        ['throttled', (c: string) => (WRITES.has(c) ? throttled() : undefined)],
        ['unavailable', () => unavailable()],
      ] as const) {
        const store = countingStore(fault);
        const res = await send(name, store.deps);
        const retryAfter = Number(res.headers['retry-after']);
        if (res.status !== 503 || !(retryAfter >= 1) || !/problem\+json/.test(res.headers['content-type'] ?? ''))
          wrong.push(`${name} ${what}: ${res.status} retry-after=${res.headers['retry-after']} ${res.text.slice(0, 120)}`);
        if (store.landed() !== 0) wrong.push(`${name} ${what}: ${store.landed()} writes landed`);
      }
    }
    expect(wrong).toEqual([]);
    // The measurement found the writers it must have.
    expect(writing).toEqual(
      expect.arrayContaining(['createOrg', 'enrolMembers', 'createClaim', 'decideClaim', 'createPayment', 'getIdentity']),
    );
  }, 300_000);

  it('S3 unavailable: every route that reads or writes objects answers 503 with Retry-After or does not need S3; no write lands on a 503', async () => {
    const wrong: string[] = [];
    const answered: string[] = [];
    for (const [name] of writingRoutes.filter(([n]) => (routes[n] as RouteDef).permissions.bucket)) {
      const store = countingStore(() => undefined);
      const res = await send(name, { ...store.deps, ...s3Down() });
      answered.push(`${name} ${res.status}`);
      if (res.status >= 500 && (res.status !== 503 || !(Number(res.headers['retry-after']) >= 1)))
        wrong.push(`${name}: ${res.status} retry-after=${res.headers['retry-after']} ${res.text.slice(0, 120)}`);
      if (res.status === 503 && store.landed() !== 0) wrong.push(`${name}: 503 after ${store.landed()} writes landed`);
    }
    expect(wrong).toEqual([]);
    // Submitting reads each receipt in S3 (size, type, first bytes): it cannot succeed without S3.
    expect(answered).toContain('submitClaim 503');
  }, 300_000);
});
