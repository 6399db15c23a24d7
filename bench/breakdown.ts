import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { monotonicFactory } from 'ulid';
import { maskIdNumber } from '../shared/domain/idNumber';
import type { Plan } from '../shared/domain/plan';
import { judgeRoster } from '../shared/domain/roster';
import { parseJsonStrict } from '../shared/http/middleware/parseRequest';
import { EnrolBody } from '../shared/http/schemas/enrolments';
import type { PiiVault } from '../shared/pii/vault';
import { enrolmentRepo, type EnrolmentRecord } from '../shared/store/enrolments';
import { since, snapshot } from './cpu';
import type { Member } from './fixtures';

// The handler's id source (plain ulid() costs ~70 µs an id; the monotonic factory ~2 µs).
const newId = monotonicFactory();

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
    Promise.all(candidates.map((c) => opts.vault.seal({ idNumber: c.person.idNumber, name: c.name, phone: c.phone }))),
  );
  const records = await timed('build records (ids, masks, dates)', () =>
    candidates.map(
      (c, i): EnrolmentRecord => ({
        enrolmentId: newId(),
        planId: opts.plan.id,
        unitId: opts.unitId,
        personKey: personKeys[i]!,
        idNumberMasked: maskIdNumber(c.person.idNumber),
        pii: pii[i]!,
        gender: c.person.gender,
        birthDate: c.person.birthDate,
        shares: c.shares,
        contributionFen: c.shares * opts.plan.contributionPerShareFen,
        enrolledDate: opts.today,
        renewal: false,
        benefitStartDate: opts.plan.coverageStart,
        accidentBenefitStartDate: opts.plan.coverageStart,
        capFen: c.shares * opts.plan.benefit.capPerShareFen,
        usedFen: 0,
        deductibleUsedFen: 0,
        status: 'active',
        transfers: [],
        createdAt: new Date().toISOString(),
        createdBy: 'bench',
      }),
    ),
  );
  const written = await timed('enrolMany → DynamoDB (49-row transactions, 4 in flight)', () =>
    enrolmentRepo(opts.db, opts.tableName).enrolMany(records),
  );
  if (written.written.length !== records.length) throw new Error(`breakdown wrote ${written.written.length}/${records.length}`);
  await timed('serialise the answer', () =>
    JSON.stringify({ enrolments: written.written.map((e, i) => ({ row: i + 1, enrolmentId: e.enrolmentId })), rejected: [] }),
  );
  return stages;
};
