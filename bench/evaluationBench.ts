/**
 * Evaluation benchmark (issue 16, SPEC §4.5; goal: 5,000 org nodes ≤ 5 s).
 * On its own DynamoDB Local (memory) + s3rver: a stored report of 5,000 nodes
 * (100 offices, 4,899 units) and two plans, its index item and the year's
 * rules; then POST /evaluations through its handler, timed end to end (read
 * the rules, slot and index, read report.json from S3, compute the rows,
 * write rows.json and the CSV, presign, the transaction that locks the
 * report). Every run replaces the previous draft, so each run is the full
 * path. Median of `runs` after one warm-up.
 */
import { idTokenClaims } from '../infra/local/jwt';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrapStore } from '../infra/local/bootstrap';
import { freePort, startDynamo, startS3 } from '../infra/local/emulators';
import { fixedClock } from '../shared/clock';
import { ENV } from '../shared/config';
import { buildDeps } from '../shared/deps';
import type { ReportNode } from '../shared/domain/report';
import { s3Of } from '../shared/objects/client';
import { putObject } from '../shared/objects/inspect';
import { objectKeys } from '../shared/objects/keys';
import type { StoredReport } from '../shared/report/generate';
import { makeDynamoClient } from '../shared/store/client';
import { invoke } from '../test/support/invoke';
import { fmt } from './stats';

export interface EvaluationBenchResult {
  nodes: number;
  rows: number;
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
}

const node = (orgId: string, kind: ReportNode['kind'], parentId: string | null, enrolled: number, target: number | null): ReportNode => ({
  orgId,
  name: `${orgId}工会`,
  kind,
  parentId,
  target,
  enrolled,
  completionPermille: null,
  timeElapsedPermille: 496,
  onTrack: null,
  headcount: 100,
  participationPermille: null,
  contributionsFen: enrolled * 5000,
  contributionsAdministrationFen: 0,
  contributionsUnionFen: 0,
  contributionsWorkerFen: enrolled * 5000,
  belowMinParticipation: false,
  claimsSubmitted: 0,
  claimsApproved: 0,
  claimsPaid: 0,
  claimsRejected: 0,
  benefitsApprovedFen: 0,
  benefitsPaidFen: 0,
  lossRatioPermille: null,
  overdueClaims: 0,
  avgDaysToPay: null,
});

/** 1 root + 100 offices + 4,899 units = 5,000 nodes, per plan. */
const treeNodes = (seed: number): ReportNode[] => {
  const out: ReportNode[] = [node('root', 'federation', null, 0, null)];
  for (let o = 0; o < 100; o++) {
    const office = `off${o}`;
    const units = o < 99 ? 49 : 48;
    out.push(node(office, 'office', 'root', units * 40, units * 60));
    for (let u = 0; u < units; u++) out.push(node(`u${o}-${u}`, 'unit', office, (u * 7 + seed) % 80, 60));
  }
  return out;
};

export const evaluationBench = async (opts: { runs?: number; log?: (s: string) => void } = {}): Promise<EvaluationBenchResult> => {
  const runs = opts.runs ?? 5;
  const log = opts.log ?? (() => {});
  const dir = mkdtempSync(join(tmpdir(), 'huzhu-evaluation-bench-'));
  const dynamo = await startDynamo({ port: await freePort() });
  const bucket = 'huzhu-evaluation-bench';
  const s3 = await startS3({ port: await freePort(), directory: join(dir, 's3'), bucket, corsOrigins: [] }).catch(async (e) => {
    await dynamo.stop();
    throw e;
  });
  try {
    const config = {
      tableName: 'huzhu-evaluation-bench',
      bucketName: bucket,
      rootOrgId: 'root',
      region: 'us-east-1',
      dynamoEndpoint: dynamo.endpoint,
      s3Endpoint: s3.endpoint,
    };
    // The handler reads its configuration from the environment, as in Lambda.
    Object.assign(process.env, {
      [ENV.tableName]: config.tableName,
      [ENV.bucketName]: bucket,
      [ENV.rootOrgId]: 'root',
      [ENV.dynamoEndpoint]: dynamo.endpoint,
      [ENV.s3Endpoint]: s3.endpoint,
      [ENV.localSecretsDir]: dir,
      [ENV.region]: 'us-east-1',
    });
    const ddb = makeDynamoClient(config);
    await bootstrapStore(ddb, config.tableName, 'root', new Date());
    const deps = buildDeps({ config, ddb, clock: fixedClock('2026-07-02T04:00:00Z') });
    const date = '2026-06-30';
    const report: StoredReport = {
      date,
      generatedAt: '2026-06-30T18:00:05.000Z',
      asOf: '2026-06-30T18:00:05.000Z',
      asOfNote: '',
      plans: ['bench-p1', 'bench-p2'].map((planId, i) => ({
        planId,
        name: planId,
        contributionsFen: 0,
        benefitsApprovedFen: 0,
        poolFen: 0,
        lossRatioPermille: null,
        projectedLossRatioPermille: null,
        alert: false,
        nodes: treeNodes(i),
      })),
    };
    const files = {
      json: objectKeys.report(date, 'root', 'json'),
      csv: objectKeys.report(date, 'root', 'csv'),
      html: objectKeys.report(date, 'root', 'html'),
    };
    await putObject(s3Of(deps), bucket, files.json, JSON.stringify(report), 'application/json; charset=utf-8');
    await deps.reports.putIndex({
      date,
      generatedAt: report.generatedAt,
      asOf: report.asOf,
      rootOrgId: 'root',
      planIds: ['bench-p1', 'bench-p2'],
      nodes: 5000,
      files,
    });
    await deps.evaluations.putRules({
      year: 2026,
      planIds: ['bench-p1', 'bench-p2'],
      checkpoints: [{ id: 'half-year', date, requiredCompletionPermille: 500 }],
      rewardRatePermille: 50,
      tiers: [
        { minCompletionPermille: 500, multiplierPermille: 800 },
        { minCompletionPermille: 1000, multiplierPermille: 1000 },
      ],
      updatedAt: '2026-06-01T00:00:00.000Z',
      updatedBy: 'bench',
    });
    const claims = idTokenClaims({ sub: 'bench@root', role: 'federation_admin', org: 'root' });
    const once = async () => {
      const t0 = performance.now();
      const r = await invoke('createEvaluation', {
        body: { year: 2026, checkpointId: 'half-year' },
        claims,
        deps: { config, ddb, clock: deps.clock },
      });
      const ms = performance.now() - t0;
      if (r.status !== 201) throw new Error(`createEvaluation answered ${r.status}: ${r.text.slice(0, 300)}`);
      return { ms, rows: (r.body as { rows: unknown[] }).rows.length };
    };
    log('evaluation bench: warm-up');
    await once();
    const times: number[] = [];
    let rows = 0;
    for (let i = 0; i < runs; i++) {
      const r = await once();
      times.push(r.ms);
      rows = r.rows;
      log(`evaluation bench: run ${i + 1}/${runs} ${fmt(r.ms, 0)} ms`);
    }
    times.sort((a, b) => a - b);
    return { nodes: 5000, rows, runs, medianMs: times[Math.floor(times.length / 2)]!, minMs: times[0]!, maxMs: times.at(-1)! };
  } finally {
    await s3.stop();
    await dynamo.stop();
    rmSync(dir, { recursive: true, force: true });
  }
};

export const evaluationBenchMarkdown = (r: EvaluationBenchResult): string =>
  [
    '## 8. Evaluation of 5,000 org nodes (issue 16; goal ≤ 5 s)',
    '',
    'POST /evaluations through its handler on DynamoDB Local (memory) + s3rver: a stored report of 5,000 nodes × 2 plans,',
    `${r.rows} rows (every node but the root), rows.json + CSV written, the report locked in the creation's transaction.`,
    '',
    '| runs | median | min | max |',
    '| ---: | ---: | ---: | ---: |',
    `| ${r.runs} | ${fmt(r.medianMs, 0)} ms | ${fmt(r.minMs, 0)} ms | ${fmt(r.maxMs, 0)} ms |`,
  ].join('\n');
