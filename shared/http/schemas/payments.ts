import { claimIdParam, clientId, isoDate, ListQuery, described, serverId, text, schema } from './common';
import * as z from './zod';

export const MAX_PAYMENT_CLAIMS = 500;

export const CreatePaymentBody = /* @__PURE__ */ schema(() =>
  z
    .strictObject({
      claimIds: z.array(claimIdParam()).check(
        z.minLength(1),
        z.maxLength(MAX_PAYMENT_CLAIMS),
        z.superRefine((ids, ctx) => {
          const seen = new Set<string>();
          ids.forEach((id, i) => {
            if (seen.has(id)) ctx.addIssue({ code: 'custom', path: [i], message: 'FIELD.duplicate' });
            seen.add(id);
          });
        }),
      ),
      paidDate: described(isoDate(), 'the day the money went out (Asia/Shanghai); not after today, not before any approval'),
      reference: described(text(100), 'bank batch or voucher number'),
    })
    .check(z.meta({ id: 'CreatePayment' })),
);

export const PaymentParams = /* @__PURE__ */ schema(() => z.strictObject({ id: serverId() }));

export const DisclosureParams = /* @__PURE__ */ schema(() => z.strictObject({ planId: clientId() }));
export const DisclosureQuery = ListQuery;
