import { render } from '../../messages/catalogue';
import { type Plan as DomainPlan, MAX_CONDITIONS, PLAN_LIMITS, planRuleViolations } from '../../domain/plan';
import { clientId, intIn, isoDate, ListQuery, optional, text, schema } from './common';
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
