/**
 * What DynamoDB Local charges for the renewal look-up of issue 15, per key, against what it charges per
 * written row: the figure behind §10's unmet ratio (bench/results.md §12).
 *
 * One DynamoDB Local (on disk unless told otherwise), a table with 20,000 enrolments of one unit and plan (the
 * "predecessor"), then rounds in which every reader looks up 9,900 keys, 3 in 10 of them enrolled (the mix of
 * §10), 4 calls in flight, and the write baseline writes 9,900 new enrolments as the app's raw transactions
 * (99 puts + 1 counter). Each round runs every variant once (order alternating); the section gives medians.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExecuteStatementCommand } from '@aws-sdk/client-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ensureTable } from '../infra/local/bootstrap';
import { freePort, startDynamo } from '../infra/local/emulators';
import { shanghaiToday } from '../shared/domain/dates';
import type { Plan } from '../shared/domain/plan';
import { localKeySource } from '../shared/pii/localKeys';
import { makeVault } from '../shared/pii/vault';
import { makeDocClient, makeDynamoClient } from '../shared/store/client';
import { enrolmentRepo } from '../shared/store/enrolments';
import { keys } from '../shared/store/keys';
import { findJvm, settleJvm, since, snapshot } from './cpu';
import { rawTransact } from './enrolment';
import { members, openPlanBody } from './fixtures';
import type { MachineInfo } from './machine';
import { benchStore, buildRecords } from './records';
import { chunk, fmt, median, pool } from './stats';

const TABLE = 'huzhu-lookup-cost';
const UNIT = { id: 'lookup-unit', path: ['root', 'lookup-unit'] };
const PREDECESSOR = 20_000;
const KEYS = 9_900;

export interface LookupCostRow {
  name: string;
  /** Medians over the rounds: DynamoDB Local's CPU and the wall time per key (row, item), µs. */
  jvmUs: number;
  wallUs: number;
}

export interface LookupCostResult {
  storage: 'disk' | 'memory';
  rounds: number;
  at: string;
  /** The first row is the baseline (a written row). */
  rows: LookupCostRow[];
}

interface Variant {
  name: string;
  /** Work that is not measured (building the rows a write sends), done just before `run`. */
  prepare?: () => Promise<void>;
  /** Runs once; answers how many keys (rows, items) it paid for. */
  run: () => Promise<number>;
}

export const lookupCostBench = async (
  opts: { storage?: 'disk' | 'memory'; rounds?: number; log?: (s: string) => void } = {},
): Promise<LookupCostResult> => {
  const storage = opts.storage ?? 'disk';
  const rounds = opts.rounds ?? 5;
  const log = opts.log ?? (() => {});
  const dir = mkdtempSync(join(tmpdir(), 'huzhu-lookup-cost-'));
  const port = await freePort();
  const dynamo = await startDynamo({ port, ...(storage === 'disk' ? { dbPath: dir } : {}) });
  const ddb = makeDynamoClient({
    tableName: TABLE,
    bucketName: TABLE,
    rootOrgId: 'root',
    region: 'local',
    dynamoEndpoint: dynamo.endpoint,
  });
  try {
    await ensureTable(ddb, TABLE);
    const db = makeDocClient(ddb);
    const jvm = findJvm(port);
    const vault = makeVault(localKeySource(join(dir, 'secrets.json')));
    const today = shanghaiToday(new Date());
    const plan = openPlanBody('lookup-plan') as unknown as Plan;
    const write = rawTransact(db, TABLE, 4, UNIT);
    const repo = enrolmentRepo(benchStore(db, TABLE));

    log(`look-up cost: writing the predecessor's ${PREDECESSOR} enrolments…`);
    const predecessor = await buildRecords(vault, plan, UNIT.id, members(PREDECESSOR, 900_000), today);
    await write(predecessor);
    const enrolled = predecessor.map((e) => e.enrolmentId);
    log(`look-up cost: DynamoDB Local idle at ${fmt(await settleJvm(jvm, 30, 60_000), 0)} ms/s`);

    let next = 0;
    const enrolledKey = () => enrolled[next++ % PREDECESSOR]!;
    const nobody = () => randomBytes(16).toString('hex');
    /** 9,900 distinct keys, 3 in 10 enrolled (the next ones in turn), the rest nobody's. */
    const mixedKeys = () => Array.from({ length: KEYS }, (_, i) => (i % 10 < 3 ? enrolledKey() : nobody()));

    /** PartiQL's keyed read of up to 50 partition keys, paged by NextToken (real DynamoDB gives 10 items a page). */
    const partiqlIn = async (ids: string[]) => {
      await pool(chunk(ids, 50), 4, async (slice) => {
        let token: string | undefined;
        do {
          const r = await ddb.send(
            new ExecuteStatementCommand({
              Statement: `SELECT enrolmentId, unitId, status FROM "${TABLE}" WHERE pk IN [${slice.map(() => '?').join(',')}] AND sk = 'ENR'`,
              Parameters: slice.map((id) => ({ S: keys.enrolment(id).pk })),
              NextToken: token,
            }),
          );
          token = r.NextToken;
        } while (token);
      });
    };

    /** The unit's whole list of the plan (every gsi1 partition, 1 MB pages): answers the items returned. */
    const unitQuery = async () => {
      let items = 0;
      await pool([...keys.unitEnrolmentPartitions(UNIT.id)], 4, async (partition) => {
        let start: Record<string, unknown> | undefined;
        do {
          const r = await db.send(
            new QueryCommand({
              TableName: TABLE,
              IndexName: 'gsi1',
              KeyConditionExpression: 'gsi1pk = :p AND begins_with(gsi1sk, :s)',
              ExpressionAttributeValues: { ':p': partition, ':s': keys.unitEnrolmentSort(plan.id, '') },
              ProjectionExpression: 'enrolmentId, unitId, #status',
              ExpressionAttributeNames: { '#status': 'status' },
              ExclusiveStartKey: start,
            }),
          );
          items += r.Items?.length ?? 0;
          start = r.LastEvaluatedKey;
        } while (start);
      });
      return items;
    };

    /** A run of KEYS keys (rows). */
    const perKey = (f: () => Promise<unknown>) => async () => {
      await f();
      return KEYS;
    };
    let written = 0;
    let rows: Awaited<ReturnType<typeof buildRecords>> = [];
    const variants: Variant[] = [
      {
        name: 'write: raw TransactWriteItems, 99 enrolments + 1 counter (**baseline**, per row)',
        prepare: async () => {
          rows = await buildRecords(vault, plan, UNIT.id, members(KEYS, 2_000_000 + written), today);
          written += KEYS;
        },
        run: perKey(() => write(rows)),
      },
      {
        name: "look-up: the app's (BatchGetItem, 99 keys, projected), 3 in 10 found",
        run: perKey(() => repo.unitsOf(mixedKeys())),
      },
      {
        name: "look-up: the app's, every key found",
        run: perKey(() => repo.unitsOf(Array.from({ length: KEYS }, enrolledKey))),
      },
      { name: "look-up: the app's, no key found", run: perKey(() => repo.unitsOf(Array.from({ length: KEYS }, nobody))) },
      { name: 'look-up: PartiQL `pk IN [50 keys]`, paged, 3 in 10 found', run: perKey(() => partiqlIn(mixedKeys())) },
      { name: "list: Query of the unit's 9 gsi1 partitions, per item returned", run: unitQuery },
    ];

    const jvmUs: number[][] = variants.map(() => []);
    const wallUs: number[][] = variants.map(() => []);
    for (let round = 0; round <= rounds; round++) {
      log(round === 0 ? 'look-up cost: warm-up round…' : `look-up cost: round ${round} of ${rounds}…`);
      // Alternate the order so that no variant always follows the same one.
      const order = variants.map((_, i) => (round % 2 === 0 ? i : variants.length - 1 - i));
      for (const i of order) {
        await variants[i]!.prepare?.();
        const before = snapshot(jvm);
        const n = await variants[i]!.run();
        const c = since(before, jvm);
        if (round === 0) continue;
        jvmUs[i]!.push((c.jvmMs * 1000) / n);
        wallUs[i]!.push((c.wallMs * 1000) / n);
      }
    }
    return {
      storage,
      rounds,
      at: new Date().toISOString(),
      rows: variants.map((v, i) => ({ name: v.name, jvmUs: median(jvmUs[i]!), wallUs: median(wallUs[i]!) })),
    };
  } finally {
    ddb.destroy();
    await dynamo.stop();
    rmSync(dir, { recursive: true, force: true });
  }
};

export const lookupCostMarkdown = (r: LookupCostResult, m: MachineInfo): string => {
  const base = r.rows[0]!;
  return [
    '## 12. What the renewal look-up costs DynamoDB Local, per key (issue 15)',
    '',
    `Run ${r.at} on ${m.cpuModel}, ${m.cores} cores, ${m.ramGiB} GiB RAM; Node ${m.node}; ${m.java}. **DynamoDB Local ${r.storage === 'disk' ? 'on disk' : 'in memory'}**, one table holding ${PREDECESSOR.toLocaleString('en')} enrolments of one unit and plan. ${r.rounds} rounds after a warm-up, each running every line once (order alternating); medians. ${KEYS.toLocaleString('en')} keys (or rows) a run, 4 calls in flight. "JVM µs" is DynamoDB Local's CPU per key, row or item; "× a written row" divides it by the baseline of the same rounds.`,
    '',
    '| what | JVM µs per key | × a written row | wall µs per key |',
    '|---|---:|---:|---:|',
    ...r.rows.map((x) => `| ${x.name} | ${fmt(x.jvmUs, 0)} | ${fmt(x.jvmUs / base.jvmUs, 2)} | ${fmt(x.wallUs, 0)} |`),
    '',
  ].join('\n');
};
