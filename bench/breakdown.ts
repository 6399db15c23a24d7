import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Plan } from '../shared/domain/plan';
import { judgeRoster } from '../shared/domain/roster';
import { parseJsonStrict } from '../shared/http/middleware/parseRequest';
import { EnrolBody } from '../shared/http/schemas/enrolments';
import type { PiiVault } from '../shared/pii/vault';
import { benchStore } from './records';
import { enrolmentRepo, newEnrolmentRecord, ROWS_PER_TRANSACTION } from '../shared/store/enrolments';
import { since, snapshot } from './cpu';
import type { Member } from './fixtures';

export interface Stage {
  stage: string;
  ms: number;
  nodeCpuMs: number;
  jvmCpuMs: number;
}

/**
 * Where one roster request's time goes: the handler's steps run one by one,
 * in this process, with the same functions and the same DynamoDB Local.
 * (Field-building mirrors functions/enrolMembers/handler.ts.)
 */
export const breakdown = async (opts: {
  db: DynamoDBDocumentClient;
  tableName: string;
  vault: PiiVault;
  plan: Plan;
  unitId: string;
  unitPath: string[];
  today: string;
  people: Member[];
  jvmPid: number | undefined;
}): Promise<Stage[]> => {
  const stages: Stage[] = [];
  const timed = async <T>(stage: string, f: () => T | Promise<T>): Promise<T> => {
    const before = snapshot(opts.jvmPid);
    const r = await f();
    const c = since(before, opts.jvmPid);
    stages.push({ stage, ms: c.wallMs, nodeCpuMs: c.nodeMs, jvmCpuMs: c.jvmMs });
    return r;
  };
  const text = JSON.stringify({ planId: opts.plan.id, members: opts.people });
  const body = await timed('parse JSON + zod (EnrolBody)', () => {
    const r = EnrolBody.safeParse(parseJsonStrict(text));
    if (!r.success) throw new Error('bench body failed validation');
    return r.data;
  });
  const rows = body.members.map((m, i) => ({ row: i + 1, idNumber: m.idNumber, name: m.name, shares: m.shares, phone: m.phone }));
  const { candidates } = await timed('judgeRoster (ID, name, age, shares, dupes)', () => judgeRoster(opts.plan, rows, opts.today));
  const personKeys = await timed('HMAC person keys', () => Promise.all(candidates.map((c) => opts.vault.personKey(c.person.idNumber))));
  const pii = await timed('AES-GCM seal PII', () =>
    Promise.all(candidates.map((c, i) => opts.vault.seal({ idNumber: c.person.idNumber, name: c.name, phone: c.phone }, `row-${i}`))),
  );
  const ids = await timed('HMAC enrolment ids', () =>
    Promise.all(candidates.map((c) => opts.vault.enrolmentId(c.person.idNumber, opts.plan.id))),
  );
  const at = new Date().toISOString();
  const records = await timed('build records (masks, money, dates)', () =>
    candidates.map((candidate, i) =>
      newEnrolmentRecord({
        plan: opts.plan,
        unitId: opts.unitId,
        candidate,
        enrolmentId: ids[i]!,
        personKey: personKeys[i]!,
        pii: pii[i]!,
        renewal: false,
        today: opts.today,
        at,
        by: 'bench',
      }),
    ),
  );
  const written = await timed(`enrolMany → DynamoDB (${ROWS_PER_TRANSACTION}-row transactions, 4 in flight)`, () =>
    enrolmentRepo(benchStore(opts.db, opts.tableName)).enrolMany({ id: opts.unitId, path: opts.unitPath }, records),
  );
  if (written.written.length !== records.length) throw new Error(`breakdown wrote ${written.written.length}/${records.length}`);
  await timed('serialise the answer', () =>
    JSON.stringify({ enrolments: written.written.map((e, i) => ({ row: i + 1, enrolmentId: e.enrolmentId })), rejected: [] }),
  );
  return stages;
};
