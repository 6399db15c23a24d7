import { describe, expect, it } from 'vitest';
import { parseJsonStrict } from '../middleware/parseRequest';
import { EnrolBody } from './enrolments';
import { CreateOrgBody, PatchOrgBody, PutTargetBody, TargetParams } from './orgs';
import { CreatePlanBody } from './plans';

const paths = (r: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  (r.error?.issues ?? []).map((i) => i.path.join('.')).sort();

describe('CreateOrgBody', () => {
  it('accepts the SPEC shape and requires headcount for units only', () => {
    expect(CreateOrgBody.safeParse({ id: 'ab', name: 'x', kind: 'office', parentId: 'root' }).success).toBe(true);
    expect(paths(CreateOrgBody.safeParse({ id: 'ab', name: 'x', kind: 'unit', parentId: 'root' }))).toEqual(['headcount']);
  });
  it('enforces the id pattern ^[A-Za-z0-9][A-Za-z0-9-]{1,39}$', () => {
    for (const id of ['a', '-ab', 'a_b', 'a'.repeat(41), 'ab/c']) {
      expect(CreateOrgBody.safeParse({ id, name: 'x', kind: 'office', parentId: 'root' }).success).toBe(false);
    }
    for (const id of ['ab', 'A-1', '9'.repeat(40)]) {
      expect(CreateOrgBody.safeParse({ id, name: 'x', kind: 'office', parentId: 'root' }).success).toBe(true);
    }
  });
  it('refuses federation as a kind, unknown keys, floats and negatives', () => {
    expect(paths(CreateOrgBody.safeParse({ id: 'ab', name: 'x', kind: 'federation', parentId: 'root', headcount: -1, x: 1 }))).toEqual([
      '',
      'headcount',
      'kind',
    ]);
  });
});

describe('other org schemas', () => {
  it('PatchOrgBody needs something to change', () => {
    expect(PatchOrgBody.safeParse({}).success).toBe(false);
    expect(PatchOrgBody.safeParse({ headcount: 0 }).success).toBe(true);
  });
  it('PutTargetBody takes integers ≥ 0 only', () => {
    expect(PutTargetBody.safeParse({ enrolmentTarget: 0 }).success).toBe(true);
    expect(paths(PutTargetBody.safeParse({ enrolmentTarget: 1.5, contributionTargetFen: -1 }))).toEqual([
      'contributionTargetFen',
      'enrolmentTarget',
    ]);
  });
  it('TargetParams coerces the year from the path', () => {
    expect(TargetParams.parse({ id: 'ab', year: '2026' }).year).toBe(2026);
    expect(TargetParams.safeParse({ id: 'ab', year: '2026.5' }).success).toBe(false);
  });
});

describe('CreatePlanBody', () => {
  const plan = {
    id: 'p2026',
    name: 'x',
    coverageStart: '2026-01-01',
    coverageEnd: '2026-12-31',
    enrolmentOpen: '2025-12-01',
    enrolmentClose: '2026-06-30',
    contributionPerShareFen: 5000,
    maxShares: 3,
    waitingDays: 90,
    minAge: 16,
    maxAge: 70,
    benefit: { deductibleFen: 0, deductibleBasis: 'per_stay', bands: [{ uptoFen: null, ratePermille: 500 }], capPerShareFen: 1 },
    claimDeadlineDays: 90,
  };
  it('accepts a valid plan', () => expect(CreatePlanBody.safeParse(plan).success).toBe(true));
  it('names the field of each domain rule it breaks', () => {
    const r = CreatePlanBody.safeParse({
      ...plan,
      enrolmentClose: '2027-01-01',
      benefit: { ...plan.benefit, bands: [{ uptoFen: 100, ratePermille: 1 }] },
    });
    expect(paths(r)).toEqual(expect.arrayContaining(['benefit.bands.0.uptoFen']));
    expect(paths(r).some((p) => p.startsWith('enrolmentClose'))).toBe(true);
  });
});

describe('EnrolBody', () => {
  it('checks only the roster shape: values are judged per row', () => {
    expect(EnrolBody.safeParse({ planId: 'p2026', members: [{ idNumber: 1, name: null }] }).success).toBe(true);
    expect(EnrolBody.safeParse({ planId: 'p2026', members: [] }).success).toBe(false);
    expect(EnrolBody.safeParse({ planId: 'p2026', members: [{ idNumber: 'x', name: 'y', email: 'z' }] }).success).toBe(false);
  });
});

describe('parseJsonStrict', () => {
  it('refuses prototype-polluting keys at any depth', () => {
    expect(() => parseJsonStrict('{"a":{"__proto__":{"x":1}}}')).toThrow(SyntaxError);
    expect(() => parseJsonStrict('[{"constructor":1}]')).toThrow(SyntaxError);
    expect(parseJsonStrict('{"proto":1}')).toEqual({ proto: 1 });
    expect(() => parseJsonStrict('{"prototype":{"polluted":true}}')).toThrow(/forbidden key "prototype"/);
  });
});

describe('free text (SPEC §3): trimmed, 1..limit, nothing hidden — one rule for every such field', async () => {
  const fc = (await import('fast-check')).default;
  const { FileClaimBody, DeclareDocumentBody, DecisionBody } = await import('./claims');
  const { CreatePaymentBody } = await import('./payments');
  const { CreateRosterImportBody } = await import('./rosterImports');
  const { examplePlan } = await import('../../../test/support/examplePlan');
  const ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
  const claimBody = {
    enrolmentId: ID,
    hospital: 'x',
    admissionDate: '2026-03-01',
    dischargeDate: '2026-03-02',
    diagnosis: 'x',
    accident: false,
    totalExpenseFen: 1,
    insuranceReimbursedFen: 0,
    selfPaidInScopeFen: 1,
  };
  const fields: [
    string,
    { safeParse: (v: unknown) => { success: boolean; error?: { issues: { path: PropertyKey[] }[] } } },
    Record<string, unknown>,
    string,
  ][] = [
    ['org name', CreateOrgBody, { id: 'ab', name: 'x', kind: 'office', parentId: 'root' }, 'name'],
    ['org rename', PatchOrgBody, { name: 'x' }, 'name'],
    ['plan name', CreatePlanBody, examplePlan(2026) as unknown as Record<string, unknown>, 'name'],
    ['hospital', FileClaimBody, claimBody, 'hospital'],
    ['diagnosis', FileClaimBody, claimBody, 'diagnosis'],
    [
      'document file name',
      DeclareDocumentBody,
      { kind: 'invoice', fileName: 'x.pdf', contentType: 'application/pdf', sizeBytes: 10 },
      'fileName',
    ],
    ['decision reason', DecisionBody, { decision: 'reject', reason: 'x' }, 'reason'],
    ['payment reference', CreatePaymentBody, { claimIds: [`${ID}${ID}`], paidDate: '2026-03-01', reference: 'x' }, 'reference'],
    ['roster file name', CreateRosterImportBody, { planId: 'p1', fileName: 'x.csv', contentType: 'text/csv', sizeBytes: 10 }, 'fileName'],
  ];
  const hidden = ['\u0000', '\r', '\n', '\t', '\u202e', '\u202a', '\u2066', '\u200b', '\u200d', '\u2060', '\ufeff'];

  it.each(fields)(
    '%s: valid as sent, refused with any control, zero-width or direction character anywhere',
    (_name, schema, valid, field) => {
      expect(schema.safeParse(valid).success).toBe(true);
      fc.assert(
        fc.property(fc.string({ maxLength: 20 }), fc.constantFrom(...hidden), fc.string({ maxLength: 20 }), (a, bad, b) => {
          const r = schema.safeParse({ ...valid, [field]: `名${a}${bad}${b}称` });
          expect(r.success).toBe(false);
          expect(paths(r)).toContain(field);
        }),
        { numRuns: 60 },
      );
      expect(paths(schema.safeParse({ ...valid, [field]: '   ' }))).toContain(field);
    },
  );
});
