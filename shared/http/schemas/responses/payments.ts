import * as z from '../zod';
import { described, int, listOf } from './common';

export const Payment = z
  .object({
    paymentId: z.string(),
    claimIds: z.array(z.string()),
    totalFen: int(),
    paidDate: z.string(),
    reference: z.string(),
    status: z.enum(['pending', 'completed', 'cancelled']),
    createdBy: z.string(),
    createdAt: z.string(),
    completedAt: z.optional(z.string()),
    cancelledAt: z.optional(z.string()),
  })
  .check(z.meta({ id: 'Payment' }));

export const Disclosure = z
  .object({
    claimRef: z.string(),
    memberName: described(z.string(), 'masked: 张*, 欧阳**'),
    unitName: z.string(),
    admissionMonth: described(z.string(), 'YYYY-MM'),
    benefitFen: int(),
    paidDate: z.string(),
  })
  .check(z.meta({ id: 'Disclosure', description: 'A paid claim as published (公示): nothing else personal' }));
export const DisclosureList = listOf(Disclosure, 'DisclosureList');
