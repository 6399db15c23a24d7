import { GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { keys } from '../shared/store/keys';
import { add, since, snapshot, ZERO, type CpuSnapshot } from './cpu';
import type { Client } from './http';
import { closedLoop, summarise, type LatencySummary } from './stats';

export interface PathResult extends LatencySummary {
  cpu: CpuSnapshot;
}

export interface LatencyResult {
  concurrency: number;
  warmup: number;
  count: number;
  rounds: number;
  gateway: PathResult;
  raw: PathResult;
}

/**
 * GET /orgs/{id} through the local gateway (JWT verify → middy → GetItem)
 * against the bare GetItem of the same item, same concurrency and count.
 * Both are warmed up, then measured in alternating rounds so that neither
 * gets a warmer JVM than the other.
 */
export const benchGetOrg = async (opts: {
  http: Client;
  ddb: DynamoDBClient;
  tableName: string;
  orgId: string;
  token: string;
  concurrency: number;
  warmup: number;
  count: number;
  rounds: number;
  jvmPid: number | undefined;
}): Promise<LatencyResult> => {
  const path = `/orgs/${encodeURIComponent(opts.orgId)}`;
  const k = keys.org(opts.orgId);
  const key = { pk: { S: k.pk }, sk: { S: k.sk } };
  const tasks = {
    gateway: async () => {
      const r = await opts.http.call('GET', path, opts.token);
      if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${r.text.slice(0, 200)}`);
    },
    raw: async () => {
      const r = await opts.ddb.send(new GetItemCommand({ TableName: opts.tableName, Key: key }));
      if (!r.Item) throw new Error(`GetItem ${opts.orgId}: no item`);
    },
  };
  const acc = { gateway: { samples: [] as number[], cpu: ZERO }, raw: { samples: [] as number[], cpu: ZERO } };
  for (const name of ['gateway', 'raw'] as const) await closedLoop(opts.warmup, opts.concurrency, tasks[name]);
  const perRound = Math.ceil(opts.count / opts.rounds);
  for (let round = 0; round < opts.rounds; round++) {
    const order = round % 2 === 0 ? (['gateway', 'raw'] as const) : (['raw', 'gateway'] as const);
    for (const name of order) {
      const n = Math.min(perRound, opts.count - acc[name].samples.length);
      const before = snapshot(opts.jvmPid);
      const r = await closedLoop(n, opts.concurrency, tasks[name]);
      acc[name].cpu = add(acc[name].cpu, since(before, opts.jvmPid));
      acc[name].samples.push(...r.samples);
    }
  }
  const result = (name: 'gateway' | 'raw'): PathResult => ({ ...summarise(acc[name].samples, acc[name].cpu.wallMs), cpu: acc[name].cpu });
  return {
    concurrency: opts.concurrency,
    warmup: opts.warmup,
    count: opts.count,
    rounds: opts.rounds,
    gateway: result('gateway'),
    raw: result('raw'),
  };
};
