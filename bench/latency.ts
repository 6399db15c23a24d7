import { GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { keys } from '../shared/store/keys';
import type { Client } from './http';
import { closedLoop, summarise, type LatencySummary } from './stats';

export interface LatencyResult {
  concurrency: number;
  warmup: number;
  count: number;
  gateway: LatencySummary;
  raw: LatencySummary;
}

/**
 * GET /orgs/{id} through the local gateway (JWT verify → middy → GetItem)
 * against the bare GetItem of the same item, same concurrency and count.
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
}): Promise<LatencyResult> => {
  const path = `/orgs/${encodeURIComponent(opts.orgId)}`;
  const viaGateway = async () => {
    const r = await opts.http.call('GET', path, opts.token);
    if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${r.text.slice(0, 200)}`);
  };
  const k = keys.org(opts.orgId);
  const key = { pk: { S: k.pk }, sk: { S: k.sk } };
  const raw = async () => {
    const r = await opts.ddb.send(new GetItemCommand({ TableName: opts.tableName, Key: key }));
    if (!r.Item) throw new Error(`GetItem ${opts.orgId}: no item`);
  };

  await closedLoop(opts.warmup, opts.concurrency, viaGateway);
  const g = await closedLoop(opts.count, opts.concurrency, viaGateway);
  await closedLoop(opts.warmup, opts.concurrency, raw);
  const d = await closedLoop(opts.count, opts.concurrency, raw);
  return {
    concurrency: opts.concurrency,
    warmup: opts.warmup,
    count: opts.count,
    gateway: summarise(g.samples, g.wallMs),
    raw: summarise(d.samples, d.wallMs),
  };
};
