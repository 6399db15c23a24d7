import type { Deps } from '../deps';
import { inScope, type Principal, setsTargetOf } from '../domain/scope';
import { isEnrolmentOpen, type Plan } from '../domain/plan';
import { msg } from '../messages/catalogue';
import type { OrgRecord } from '../store/orgs';
import { forbidden, notFound, unprocessable } from './problem';

/**
 * Access checks handlers share. Roles are checked by the route table before
 * the body is read (middleware/authenticate.ts); here, in the same order
 * everywhere: existence (404) → scope (403).
 */

/** The org, if it exists (404) and the caller reaches it (403). */
export const orgInScope = async (deps: Deps, p: Principal, orgId: string): Promise<OrgRecord> => {
  const org = await deps.orgs.get(orgId);
  if (!org) throw notFound('org', orgId);
  if (!inScope(p, org)) throw forbidden(msg('FORBIDDEN.orgScope', { orgId }));
  return org;
};

/** The unit, if it exists (404), the caller reaches it (403) and it is a unit (422 NOT_A_UNIT). */
export const unitInScope = async (
  deps: Deps,
  p: Principal,
  unitId: string,
  why: 'members' | 'enrol' | 'enrolments',
): Promise<OrgRecord> => {
  const org = await orgInScope(deps, p, unitId);
  if (org.kind !== 'unit') throw unprocessable('NOT_A_UNIT', msg('NOT_A_UNIT', { orgId: org.id, kind: org.kind, why }));
  return org;
};

/**
 * The org whose targets the caller may set (SPEC §4.1): one below the caller's org (targets are set from
 * above), or the root itself for federation staff (nobody is above the federation: it sets its own).
 */
export const targetSetter = async (deps: Deps, p: Principal, orgId: string): Promise<OrgRecord> => {
  const org = await orgInScope(deps, p, orgId);
  if (!setsTargetOf(p, org)) throw forbidden(msg('FORBIDDEN.targetsFromAbove', { orgId }));
  return org;
};

/** Enrolment in the plan is open today (SPEC §4.2), else 422 ENROLMENT_CLOSED naming its window. */
export const enrolmentOpenOn = (plan: Plan, today: string): void => {
  if (!isEnrolmentOpen(plan, today)) {
    throw unprocessable(
      'ENROLMENT_CLOSED',
      msg('ENROLMENT_CLOSED', { planId: plan.id, open: plan.enrolmentOpen, close: plan.enrolmentClose }),
    );
  }
};

/**
 * A backdated enrolment (SPEC §4.3 `enrolledDate`): office_staff and federation_admin record paper enrolments
 * made earlier in the period; a unit_admin sending it is 403. The date lies within [enrolmentOpen, today], else
 * 422 ENROLLED_DATE_OUT_OF_RANGE. Counters still move in the bucket of the day it is recorded (a past day's
 * report, perhaps locked by an evaluation, never changes).
 */
export const backdatedEnrolment = (
  p: Principal,
  enrolledDate: string | undefined,
  plan: { id: string; enrolmentOpen: string },
  today: string,
): string | undefined => {
  if (enrolledDate === undefined) return undefined;
  if (p.role === 'unit_admin') throw forbidden(msg('FORBIDDEN.backdate'));
  if (enrolledDate < plan.enrolmentOpen || enrolledDate > today) {
    throw unprocessable(
      'ENROLLED_DATE_OUT_OF_RANGE',
      msg('ENROLLED_DATE_OUT_OF_RANGE', { planId: plan.id, open: plan.enrolmentOpen, today }),
    );
  }
  return enrolledDate;
};
