import { planFields } from '../plans';
import * as z from '../zod';
import { listOf } from './common';

export const Plan = z
  .object({
    ...planFields,
    predecessorPlanId: z.nullable(z.string()),
    createdAt: z.string(),
    createdBy: z.string(),
  })
  .check(z.meta({ id: 'Plan' }));
export const PlanList = listOf(Plan, 'PlanList');
