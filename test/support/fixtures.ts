import { randomInt } from 'node:crypto';
import { computeCheckChar } from '../../shared/domain/idNumber';
import { fixedClock } from '../../shared/clock';
import { examplePlan } from './examplePlan';
import { as, invoke, uid } from './invoke';

export const fed = as('federation_admin', 'root');

/** A valid resident ID number: province 11..82, the given birth date, a sequence whose parity sets the gender. */
export const idNumber = (birthDate = '1980-05-17', seq = 123, province = 11, area = '0105'): string => {
  const first17 = `${province}${area}${birthDate.replaceAll('-', '')}${String(seq % 1000).padStart(3, '0')}`;
  return first17 + computeCheckChar(first17);
};

/**
 * This test file's own people. Test files share one table, and a person is one person across plans
 * (DUPLICATE_STAY is per person): two files filing July stays for "the same" generated person collide.
 * A random region (9000–9999: no roster fixture uses them) is not enough on its own: among the ~15 files
 * that file claims, two draw the same region about one run in ten (birthdays), and both then made the
 * same people from 0 — a CI run failed so. So each file also draws its own offset of the ID number's
 * sequence digits: two files now meet only if both draws coincide (about one in a million pairs). Birth
 * dates still follow the index alone, so `startYear` keeps its meaning (people(n, 1990) are born 1990 on).
 */
const AREA = String(randomInt(9000, 10_000));
const SEQ_OFFSET = randomInt(0, 1000);
let counter = 0;
/** Distinct people (different birth dates and sequences), all adults in 2026, none shared with another test file. */
export const people = (n: number, startYear = 1970) =>
  Array.from({ length: n }, () => {
    const k = counter++;
    const day = String((k % 28) + 1).padStart(2, '0');
    const month = String((Math.floor(k / 28) % 12) + 1).padStart(2, '0');
    const year = startYear + (Math.floor(k / 336) % 30);
    return {
      idNumber: idNumber(`${year}-${month}-${day}`, (Math.floor(k / 10_080) * 7 + k + SEQ_OFFSET) % 1000, 11 + (k % 50), AREA),
      name: '王小明',
    };
  });

/** The scheme's running example: 2026 plan, enrolment open Jan–Jun. */
export const planBody = (over: Record<string, unknown> = {}) => ({ ...examplePlan(2026), id: uid('plan'), ...over });

/** 2026-03-10 noon in Shanghai. */
export const marchClock = fixedClock('2026-03-10T04:00:00Z');

export const createPlan = async (over: Record<string, unknown> = {}) => {
  const r = await invoke('createPlan', { body: planBody(over), claims: fed });
  if (r.status !== 201) throw new Error(`plan fixture: ${r.status} ${r.text}`);
  return r.body as ReturnType<typeof planBody>;
};

/** office → units, created by the federation. */
export const createTree = async (units = 2) => {
  const office = uid('off');
  await invoke('createOrg', { body: { id: office, name: 'Office', kind: 'office', parentId: 'root' }, claims: fed });
  const unitIds: string[] = [];
  for (let i = 0; i < units; i++) {
    const id = uid('unit');
    const r = await invoke('createOrg', { body: { id, name: `Unit ${i}`, kind: 'unit', parentId: office, headcount: 500 }, claims: fed });
    if (r.status !== 201) throw new Error(`org fixture: ${r.status} ${r.text}`);
    unitIds.push(id);
  }
  return { office, units: unitIds };
};

/** Every enrolment of a unit in a plan, through the list route. */
export const listAll = async (unitId: string, planId: string) => {
  const out: { enrolmentId: string; idNumberMasked: string; shares: number }[] = [];
  let cursor: string | undefined;
  do {
    const r = await invoke('listUnitEnrolments', {
      params: { unitId },
      query: { planId, limit: 500, ...(cursor ? { cursor } : {}) },
      claims: fed,
    });
    out.push(...r.body.items);
    cursor = r.body.nextCursor ?? undefined;
  } while (cursor);
  return out;
};
