import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { parseResidentId } from '../shared/domain/idNumber';
import type { Plan } from '../shared/domain/plan';
import type { PiiVault } from '../shared/pii/vault';
import type { StoreContext } from '../shared/store/items';
import { enrolmentItem, newEnrolmentRecord, type EnrolmentRecord } from '../shared/store/enrolments';
import type { FundingPerShare } from '../shared/domain/enrolment';
import type { Member } from './fixtures';

/** Enrolment records as the handler builds them (HMAC person key, sealed PII), prepared outside any timing. */
export const buildRecords = async (
  vault: PiiVault,
  plan: Plan,
  unitId: string,
  people: Member[],
  today: string,
  /** The roster's co-funding, as the API run sends it (the enrolment bench: BENCH_FUNDING). */
  funding?: FundingPerShare,
  /** Which rows renew (the person was enrolled in the plan's predecessor): renewal price, renewal counters. */
  renews: (i: number) => boolean = () => false,
): Promise<EnrolmentRecord[]> => {
  const at = new Date().toISOString();
  return Promise.all(
    people.map(async (m, i) => {
      const id = parseResidentId(m.idNumber, today);
      if (!id.ok) throw new Error(`bench generated an invalid ID number: ${id.reason}`);
      const candidate = { row: 0, person: id.value, name: m.name, shares: m.shares, phone: m.phone ?? null };
      const enrolmentId = await vault.enrolmentId(id.value.idNumber, plan.id);
      return newEnrolmentRecord({
        plan,
        unitId,
        candidate,
        enrolmentId,
        personKey: await vault.personKey(id.value.idNumber),
        pii: await vault.seal({ idNumber: id.value.idNumber, name: m.name, phone: m.phone ?? null }, enrolmentId),
        renewal: renews(i),
        funding,
        today,
        at,
        by: 'bench',
      });
    }),
  );
};

/** The items a row writes — exactly the store's (one enrolment item, keyed by person and plan). */
export const rowItems = (e: EnrolmentRecord) => ({ enrolment: enrolmentItem(e) });

/** The store as the handlers see it, for the raw writers (no lists here, so no cursor key). */
export const benchStore = (db: DynamoDBDocumentClient, tableName: string): StoreContext => ({
  db,
  tableName,
  cursors: { encode: async () => null, decode: async () => undefined, seal: async () => '', open: async () => undefined },
});
