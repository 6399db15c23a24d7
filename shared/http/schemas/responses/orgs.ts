import * as z from '../zod';
import { described, int, listOf } from './common';

export const OrgKind = z.enum(['federation', 'office', 'agency', 'unit']);

export const Org = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: OrgKind,
    parentId: z.nullable(z.string()),
    path: described(z.array(z.string()), 'ids from the root down to this org'),
    headcount: z.nullable(int()),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .check(z.meta({ id: 'Org' }));
export const OrgList = listOf(Org, 'OrgList');

export const Target = z
  .object({
    orgId: z.string(),
    year: int(),
    enrolmentTarget: int(),
    contributionTargetFen: z.nullable(int()),
    setBy: z.string(),
    updatedAt: z.string(),
  })
  .check(z.meta({ id: 'Target' }));
