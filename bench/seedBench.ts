/**
 * Seed benchmark (issue 16 part 3: "Seed: wall time on a fresh store").
 * Starts its own local stack as `npm start` runs it (DynamoDB Local on disk,
 * s3rver, the gateway) in a temp directory, runs the seed (infra/local/seedRun.ts)
 * once on the fresh store and once more (the idempotent re-run, which must add
 * nothing), and reports both wall times with the machine's load at the time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalStack } from '../infra/local/stack';
import { runSeed, type SeedSummary } from '../infra/local/seedRun';
import { fmt } from './stats';

export interface SeedBenchResult {
  storage: 'disk' | 'memory';
  firstMs: number;
  secondMs: number;
  members: number;
  enrolmentRows: number;
  claims: number;
  loadBefore: number;
  loadAfter: number;
  first: SeedSummary;
  second: SeedSummary;
}

export const seedBench = async (opts: { storage?: 'disk' | 'memory'; log?: (s: string) => void } = {}): Promise<SeedBenchResult> => {
  const storage = opts.storage ?? 'disk';
  const log = opts.log ?? (() => {});
  const dir = mkdtempSync(join(tmpdir(), 'huzhu-seed-bench-'));
  const stack = await startLocalStack({
    port: 0,
    dataDir: dir,
    inMemory: storage === 'memory',
    tableName: 'huzhu-seed-bench',
    bucketName: 'huzhu-seed-bench',
  });
  try {
    const loadBefore = loadavg()[0]!;
    log('seed on a fresh store…');
    const first = await runSeed({ log });
    log('seed again (adds nothing)…');
    const second = await runSeed();
    const addedAgain =
      Object.values(second.enrolled).reduce((s, e) => s + e.added, 0) + second.claimSteps + second.orgsCreated + second.plansCreated;
    if (addedAgain !== 0) throw new Error(`the second seed run added ${addedAgain} things`);
    return {
      storage,
      firstMs: first.ms,
      secondMs: second.ms,
      members: Math.max(...Object.values(first.enrolled).map((e) => e.total)),
      enrolmentRows: Object.values(first.enrolled).reduce((s, e) => s + e.total, 0),
      claims: Object.values(first.claims).reduce((s, n) => s + n, 0),
      loadBefore,
      loadAfter: loadavg()[0]!,
      first,
      second,
    };
  } finally {
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  }
};

export const seedBenchMarkdown = (r: SeedBenchResult, when = new Date().toISOString(), machine = ''): string =>
  [
    '## 11. Seed: wall time on a fresh store (issue 16)',
    '',
    `\`npm run seed\`'s work (infra/local/seedRun.ts) against its own local stack (DynamoDB Local ${r.storage === 'disk' ? 'on disk, as `npm start` runs it' : 'in memory'}), run ${when}${machine ? ` on ${machine}` : ''}.`,
    `It makes 24 orgs, 4 plans, ${r.enrolmentRows.toLocaleString('en')} enrolments (${r.members.toLocaleString('en')} members in this year's inpatient plan), ${r.claims} claims with their receipts, a payment, ${r.first.reportDates.length} reports and the half-year evaluation; the second run only looks (it adds nothing).`,
    `1-minute load average ${fmt(r.loadBefore, 1)} before and ${fmt(r.loadAfter, 1)} after, on 2 cores: read the absolute time against it.`,
    '',
    '| run | wall |',
    '| --- | ---: |',
    `| first (fresh store) | ${fmt(r.firstMs / 1000, 1)} s |`,
    `| second (idempotent, adds nothing) | ${fmt(r.secondMs / 1000, 1)} s |`,
  ].join('\n');
