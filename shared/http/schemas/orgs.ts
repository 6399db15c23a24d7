import { clientId, fen, intIn, ListQuery, optional, text, schema } from './common';
import * as z from './zod';

export const CreateOrgBody = /* @__PURE__ */ schema(() =>
  z
    .strictObject({
      id: clientId(),
      name: text(100),
      kind: z.enum(['office', 'agency', 'unit']),
      parentId: clientId(),
      headcount: z.optional(intIn(0, 10_000_000)),
    })
    .check(
      z.superRefine((o, ctx) => {
        if (o.kind === 'unit' && o.headcount === undefined) {
          ctx.addIssue({ code: 'custom', path: ['headcount'], message: 'FIELD.headcountForUnits' });
        }
      }),
      z.meta({ id: 'CreateOrg' }),
    ),
);

export const PatchOrgBody = /* @__PURE__ */ schema(() =>
  z
    .strictObject({
      name: z.optional(text(100)),
      headcount: z.optional(intIn(0, 10_000_000)),
    })
    .check(
      z.refine((o) => o.name !== undefined || o.headcount !== undefined, { message: 'FIELD.nameOrHeadcount' }),
      z.meta({ id: 'PatchOrg' }),
    ),
);

export const OrgParams = /* @__PURE__ */ schema(() => z.strictObject({ id: clientId() }));
export const ChildrenQuery = ListQuery;

export const yearParam = () => z.coerce.number().check(z.int('year must be an integer'), z.minimum(2000), z.maximum(2100));

export const TargetParams = /* @__PURE__ */ schema(() => z.strictObject({ id: clientId(), year: yearParam() }));

export const PutTargetBody = /* @__PURE__ */ schema(() =>
  z
    .strictObject({
      enrolmentTarget: intIn(0, 100_000_000),
      contributionTargetFen: optional(fen()),
    })
    .check(z.meta({ id: 'PutTarget' })),
);
