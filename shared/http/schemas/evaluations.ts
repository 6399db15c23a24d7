import { clientId, described, intIn, isoDate, ListQuery, schema, serverId, text } from './common';
import { yearParam } from './orgs';
import * as z from './zod';

/** SPEC §4.5. */
const permille = (max = 100_000) => intIn(0, max);

export const RulesParams = /* @__PURE__ */ schema(() => z.strictObject({ year: yearParam() }));

export const PutRulesBody = /* @__PURE__ */ schema(() =>
  z
    .strictObject({
      planIds: described(z.array(clientId()).check(z.minLength(1), z.maxLength(50)), 'the plans whose enrolments count (人次)'),
      checkpoints: z
        .array(
          z.strictObject({
            id: clientId(),
            date: isoDate(),
            requiredCompletionPermille: permille(),
          }),
        )
        .check(z.minLength(1), z.maxLength(12)),
      rewardRatePermille: described(permille(1000), "of the node's contributions at the checkpoint"),
      tiers: described(
        z.array(z.strictObject({ minCompletionPermille: permille(), multiplierPermille: permille(10_000) })).check(z.maxLength(20)),
        'ascending by minCompletionPermille',
      ),
    })
    .check(
      z.superRefine((b, ctx) => {
        const seen = new Set<string>();
        b.checkpoints.forEach((c, i) => {
          if (seen.has(c.id)) ctx.addIssue({ code: 'custom', path: ['checkpoints', i, 'id'], message: 'FIELD.duplicate' });
          seen.add(c.id);
        });
        b.tiers.forEach((t, i) => {
          const prev = b.tiers[i - 1];
          if (prev && t.minCompletionPermille <= prev.minCompletionPermille) {
            ctx.addIssue({ code: 'custom', path: ['tiers', i, 'minCompletionPermille'], message: 'FIELD.tiersAscending' });
          }
        });
      }),
      z.meta({ id: 'PutEvaluationRules' }),
    ),
);

export const CreateEvaluationBody = /* @__PURE__ */ schema(() =>
  z
    .strictObject({ year: z.int().check(z.minimum(2000), z.maximum(2100)), checkpointId: clientId() })
    .check(z.meta({ id: 'CreateEvaluation' })),
);

export const EvaluationParams = /* @__PURE__ */ schema(() => z.strictObject({ id: serverId() }));

export const PayoutBody = /* @__PURE__ */ schema(() =>
  z
    .strictObject({
      paidDate: described(isoDate(), 'the day the rewards were paid (Asia/Shanghai); not after today'),
      reference: described(text(100), 'bank batch or voucher number'),
    })
    .check(z.meta({ id: 'EvaluationPayout' })),
);

export const EvaluationsQuery = /* @__PURE__ */ schema(() => z.extend(ListQuery, { year: yearParam() }));
