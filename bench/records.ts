import { monotonicFactory } from 'ulid';
import { benefitStartDates, capFen, contributionFen } from '../shared/domain/enrolment';
import { maskIdNumber, parseResidentId } from '../shared/domain/idNumber';
import type { Plan } from '../shared/domain/plan';
import type { PiiVault } from '../shared/pii/vault';
import type { EnrolmentRecord } from '../shared/store/enrolments';
import { keys } from '../shared/store/keys';
import type { Member } from './fixtures';

// The handler's id source (plain ulid() costs ~70 µs an id; the monotonic factory ~2 µs).
const newId = monotonicFactory();

/** Enrolment records as the handler builds them (HMAC person key, sealed PII), prepared outside any timing. */
export const buildRecords = async (vault: PiiVault, plan: Plan, unitId: string, people: Member[], today: string): Promise<EnrolmentRecord[]> => {
  const now = new Date().toISOString();
  return Promise.all(
    people.map(async (m): Promise<EnrolmentRecord> => {
      const id = parseResidentId(m.idNumber, today);
      if (!id.ok) throw new Error(`bench generated an invalid ID number: ${id.reason}`);
      return {
        enrolmentId: newId(),
        planId: plan.id,
        unitId,
        personKey: await vault.personKey(id.value.idNumber),
        idNumberMasked: maskIdNumber(id.value.idNumber),
        pii: await vault.seal({ idNumber: id.value.idNumber, name: m.name, phone: m.phone ?? null }),
        gender: id.value.gender,
        birthDate: id.value.birthDate,
        shares: m.shares,
        contributionFen: contributionFen(plan, m.shares),
        enrolledDate: today,
        renewal: false,
        ...benefitStartDates(plan, today, false),
        capFen: capFen(plan, m.shares),
        usedFen: 0,
        deductibleUsedFen: 0,
        status: 'active',
        transfers: [],
        createdAt: now,
        createdBy: 'bench',
      };
    }),
  );
};

/** The two items a row writes — the same shapes as shared/store/enrolments.ts (person lock, enrolment). */
export const rowItems = (e: EnrolmentRecord) => ({
  person: { ...keys.personPlan(e.personKey, e.planId), entity: 'person-plan', enrolmentId: e.enrolmentId, unitId: e.unitId, planId: e.planId },
  enrolment: {
    ...keys.enrolment(e.enrolmentId),
    entity: 'enrolment',
    gsi1pk: keys.unitEnrolments(e.unitId),
    gsi1sk: keys.unitEnrolmentSort(e.planId, e.enrolmentId),
    ...e,
  },
});
