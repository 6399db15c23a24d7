import {
  benefitRuleViolations,
  type BenefitRules as DomainBenefitRules,
  type Plan as DomainPlan,
  MAX_CONDITIONS,
  PLAN_LIMITS,
  planRuleViolations,
} from '../../domain/plan';
import { msg, render } from '../../messages/catalogue';
import { clientId, described, intIn, isoDate, ListQuery, optional, text, schema } from './common';
import * as z from './zod';

const money = () => intIn(0, PLAN_LIMITS.maxFen, 'must be an integer number of fen');

const days = () => intIn(0, PLAN_LIMITS.maxDays);

const Band = /* @__PURE__ */ schema(() =>
  z.strictObject({
    uptoFen: z.nullable(money()),
    ratePermille: intIn(0, 1000),
  }),
);

const BandedRules = /* @__PURE__ */ schema(() =>
  z.strictObject({
    kind: z.optional(z.literal('banded')),
    deductibleFen: money(),
    deductibleBasis: z.enum(['per_stay', 'per_period']),
    bands: z.array(Band).check(z.minLength(1), z.maxLength(20)),
    capPerShareFen: money(),
  }),
);

const Condition = /* @__PURE__ */ schema(() =>
  z.strictObject({
    code: text(40),
    name: text(100),
    amountPerShareFen: money(),
  }),
);

/** 重大疾病互助 / 女职工特殊疾病互助: a fixed amount per share per listed condition (SPEC §4.2). */
const LumpSumRules = /* @__PURE__ */ schema(() =>
  z.strictObject({
    kind: z.literal('lump_sum'),
    conditions: z.array(Condition).check(z.minLength(1), z.maxLength(MAX_CONDITIONS)),
    capPerShareFen: money(),
  }),
);

const BenefitRules = /* @__PURE__ */ schema(() => z.union([BandedRules, LumpSumRules]));

/** The plan's fields as clients send them (the plan answer adds its own to these). */
export const planFields = /* @__PURE__ */ schema(() => ({
  id: clientId(),
  name: text(100),
  coverageStart: isoDate(),
  coverageEnd: isoDate(),
  enrolmentOpen: isoDate(),
  enrolmentClose: isoDate(),
  contributionPerShareFen: money(),
  renewalContributionPerShareFen: optional(
    money(),
    'what a renewing member pays per share (续保优惠); default contributionPerShareFen, may not exceed it',
  ),
  maxShares: intIn(1, PLAN_LIMITS.maxShares),
  waitingDays: days(),
  minAge: intIn(0, PLAN_LIMITS.maxAge),
  maxAge: intIn(0, PLAN_LIMITS.maxAge),
  predecessorPlanId: z.optional(clientId()),
  minUnitParticipationPermille: optional(
    intIn(0, 1000),
    "share of a unit's headcount (‰) that must join for good standing; reported (belowMinParticipation), not enforced; default 0",
  ),
  benefit: BenefitRules,
  claimDeadlineDays: intIn(1, PLAN_LIMITS.maxDays),
}));

/** The plan as clients send it; the domain's plan rules run on top, so every violation is a 400 naming its field. */
export const CreatePlanBody = /* @__PURE__ */ schema(() =>
  z.strictObject(planFields).check(
    z.superRefine((plan, ctx) => {
      for (const v of planRuleViolations(plan as DomainPlan)) {
        ctx.addIssue({
          code: 'custom',
          path: v.path.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s)),
          message: render(v.message, 'en'),
          // The catalogue message, rendered in the reader's language (parseRequest's issueMessage).
          params: { msg: v.message },
        });
      }
    }),
    z.meta({ id: 'CreatePlan' }),
  ),
);

export const PlanParams = /* @__PURE__ */ schema(() => z.strictObject({ id: clientId() }));
export const PlansQuery = ListQuery;

/** The most a simulation may scale enrolment by: ×101 (+100,000 ‰). */
export const MAX_ENROLMENT_CHANGE_PERMILLE = 100_000;

/**
 * SPEC §4.6 candidate rules. `benefit` is of the plan's own kind: banded for a banded plan (the SPEC's case),
 * lump_sum for a lump-sum plan (amounts per condition code and a cap; a code the candidate leaves out pays 0).
 * The plan rules for prices and benefits apply (bands ascend and end open, renewal ≤ new price): 400 otherwise.
 */
export const SimulationBody = /* @__PURE__ */ schema(() =>
  z
    .strictObject({
      contributionPerShareFen: intIn(1, PLAN_LIMITS.maxFen, 'must be an integer number of fen, more than 0'),
      renewalContributionPerShareFen: optional(
        intIn(1, PLAN_LIMITS.maxFen, 'must be an integer number of fen, more than 0'),
        'what a renewing member would pay per share; default contributionPerShareFen, may not exceed it',
      ),
      benefit: described(
        BenefitRules,
        "candidate benefit rules of the plan's own kind (422 BENEFIT_KIND_MISMATCH otherwise): banded rules for a banded plan; for a lump-sum plan, conditions with their amounts per share and a cap per share — each approved condition is paid again at the candidate's amount for its code (0 when the candidate leaves the code out)",
      ),
      enrolmentChangePermille: optional(
        intIn(-1000, MAX_ENROLMENT_CHANGE_PERMILLE),
        'scales enrolments, contributions and benefits alike (−1000 ‰ = nobody, +100 ‰ = a tenth more); default 0',
      ),
    })
    .check(
      z.superRefine((b, ctx) => {
        if (b.renewalContributionPerShareFen !== undefined && b.renewalContributionPerShareFen > b.contributionPerShareFen) {
          ctx.addIssue({
            code: 'custom',
            path: ['renewalContributionPerShareFen'],
            message: render(msg('PLAN.renewalDiscount'), 'en'),
            params: { msg: msg('PLAN.renewalDiscount') },
          });
        }
        for (const v of benefitRuleViolations(b.benefit as DomainBenefitRules)) {
          ctx.addIssue({
            code: 'custom',
            path: v.path.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s)),
            message: render(v.message, 'en'),
            params: { msg: v.message },
          });
        }
      }),
      z.meta({ id: 'PlanSimulationRequest' }),
    ),
);
