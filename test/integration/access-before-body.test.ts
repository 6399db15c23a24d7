/**
 * Access before work (SPEC §3): a request outside the caller's scope is 403
 * before its body is parsed, on every route that takes a body — whatever the
 * body: malformed JSON, a schema violation, a media type the route does not
 * take, a roster bomb. The gate is middleware/authorise.ts, placed between
 * authenticate and parseRequest in every handler's stack.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../shared/domain/scope';
import type { RouteDef } from '../../shared/http/route';
import { type RouteName, routeEntries as typedEntries } from '../../shared/http/routes';
import { repeatedDeflate, workbookWith } from '../fixtures/writers';
import { enrolOne, file, stay } from '../support/claims';
import { createPlan, createTree, fed } from '../support/fixtures';
import { as, invoke } from '../support/invoke';

const routeEntries = typedEntries as [RouteName, RouteDef][];
const withBody = routeEntries.filter(([, r]) => r.auth && (r.body || r.rawBodyTypes));

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** 1 GiB of `<row/>` in ~1 MiB: the workbook bomb. */
const bomb = Buffer.from(
  workbookWith(
    repeatedDeflate({ head: '<worksheet><sheetData>', unit: '<row/>'.repeat(2 ** 19), times: 341, tail: '</sheetData></worksheet>' }),
  ),
);

/** Bodies no out-of-scope caller may have judged: each must get 403, never 400/413/415/422. */
const hostile = (r: RouteDef): { raw: string | Buffer; type: string }[] => [
  { raw: '{"members": [', type: 'application/json' },
  { raw: '{"__proto__": {"admin": true}}', type: 'application/json' },
  { raw: JSON.stringify({ junk: 'x'.repeat(10_000) }), type: 'application/json' },
  { raw: 'not a body', type: 'application/x-unknown' },
  ...(r.rawBodyTypes?.includes(XLSX) ? [{ raw: bomb, type: XLSX }] : []),
  ...(r.rawBodyTypes?.includes('text/csv') ? [{ raw: '身份证号,姓名\n"unclosed', type: 'text/csv' }] : []),
];

let mine: Awaited<ReturnType<typeof createTree>>;
let other: Awaited<ReturnType<typeof createTree>>;
let enrolmentId: string;
let claimId: string;
let planId: string;

beforeAll(async () => {
  mine = await createTree(1);
  other = await createTree(1);
  planId = (await createPlan()).id;
  enrolmentId = await enrolOne(mine.units[0]!, planId);
  const c = await file(stay(enrolmentId), as('unit_admin', mine.units[0]!));
  if (c.status !== 201) throw new Error(`claim fixture: ${c.status} ${c.text}`);
  claimId = c.body.claimId;
});

/** Path parameters naming resources of `mine`. */
const paramsOf = (r: RouteDef): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [, k] of r.path.matchAll(/\{(\w+)\}/g)) {
    if (k === 'unitId') out[k] = mine.units[0]!;
    else if (k === 'year') out[k] = '2026';
    else if (r.path.startsWith('/claims')) out[k!] = claimId;
    else if (r.path.startsWith('/enrolments')) out[k!] = enrolmentId;
    else out[k!] = mine.units[0]!;
  }
  return out;
};

/** A caller of the other tree whose role the route admits (its scope does not reach `mine`). */
const outsider = (r: RouteDef) => {
  const role = (['office_staff', 'unit_admin'] as Role[]).find((x) => !r.roles || r.roles.includes(x));
  return role === 'office_staff' ? as('office_staff', other.office) : as('unit_admin', other.units[0]!);
};

describe('access before the body (SPEC §3), on every route with a body', () => {
  it('every such route says whose resource it touches, or is for the federation alone (whose scope is everything)', () => {
    for (const [name, r] of withBody) {
      const federationOnly = r.roles?.every((x) => x === 'federation_admin') === true;
      expect(r.scope !== undefined || federationOnly, `${name} declares scope`).toBe(true);
      if (r.scope && !('body' in r.scope)) {
        const param = Object.values(r.scope)[0];
        expect(r.path, `${name}: scope names a path parameter`).toContain(`{${param}}`);
      }
    }
  });

  it('an out-of-scope caller with a malformed or hostile body gets 403, never a judgement of the body', async () => {
    const pathScoped = withBody.filter(([, r]) => r.scope && !('body' in r.scope));
    expect(pathScoped.map(([n]) => n).sort()).toEqual(
      [
        'cancelEnrolment',
        'createRosterImport',
        'declareClaimDocument',
        'decideClaim',
        'enrolMembers',
        'patchEnrolment',
        'patchOrg',
        'putTarget',
        'transferEnrolment',
      ].sort(),
    );
    for (const [name, r] of pathScoped) {
      for (const body of hostile(r)) {
        const started = Date.now();
        const res = await invoke(name, {
          params: paramsOf(r),
          query: name === 'enrolMembers' ? { planId } : {},
          raw: body.raw,
          headers: { 'content-type': body.type, 'idempotency-key': 'k-1' },
          claims: outsider(r),
        });
        expect(`${name} ${body.type} ${res.status} ${res.body?.code}`).toBe(`${name} ${body.type} 403 FORBIDDEN`);
        expect(Date.now() - started).toBeLessThan(2000);
      }
    }
  });

  it('an unknown resource is 404 before the body too; a caller in scope still has the body judged', async () => {
    const unknown = await invoke('decideClaim', {
      params: { id: '01ARZ3NDEKTSV4RRFFQ69G5FAV'.repeat(2).padEnd(52, 'A') },
      raw: '{',
      headers: { 'content-type': 'application/json' },
      claims: fed,
    });
    expect([unknown.status, unknown.body.code]).toEqual([404, 'NOT_FOUND']);
    const inScope = await invoke('enrolMembers', {
      params: { unitId: mine.units[0]! },
      query: { planId },
      raw: bomb,
      headers: { 'content-type': XLSX },
      claims: as('unit_admin', mine.units[0]!),
    });
    expect([inScope.status, inScope.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    // putTarget: the unit's own clerk is in scope but not above it.
    const own = await invoke('putTarget', {
      params: { id: mine.units[0]!, year: '2026' },
      raw: '{',
      headers: { 'content-type': 'application/json' },
      claims: as('office_staff', mine.office),
    });
    expect(own.status).toBe(400);
    const self = await invoke('putTarget', {
      params: { id: mine.office, year: '2026' },
      raw: '{',
      headers: { 'content-type': 'application/json' },
      claims: as('office_staff', mine.office),
    });
    expect(self.status).toBe(403);
  });
});
