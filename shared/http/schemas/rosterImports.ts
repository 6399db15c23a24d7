import { MAX_ROSTER_FILE_BYTES, ROSTER_CONTENT_TYPES, XLS_MEDIA_TYPE } from '../../roster/formats';
import { described, intIn, optional, serverId, text, clientId, schema } from './common';
import { FundingPerShare } from './enrolments';
import * as z from './zod';

/** SPEC §4.3 "Large rosters"; `funding` is the roster's co-funding, as beside `members` in a JSON roster. */
export const CreateRosterImportBody = /* @__PURE__ */ schema(() =>
  z
    .strictObject({
      planId: clientId(),
      fileName: described(text(255), 'as the clerk named it; shown back, never part of a key, log or link'),
      contentType: z.enum([ROSTER_CONTENT_TYPES.csv, ROSTER_CONTENT_TYPES.xlsx], {
        // An old .xls workbook gets the way out, not just the list of types (SPEC §4.3).
        error: (issue) => (issue.input === XLS_MEDIA_TYPE ? 'FIELD.xlsImport' : undefined),
      }),
      sizeBytes: described(
        intIn(1, MAX_ROSTER_FILE_BYTES),
        'the exact size of the file to upload: the upload may not be larger (≤ 20 MiB)',
      ),
      funding: z.optional(FundingPerShare),
    })
    .check(z.meta({ id: 'CreateRosterImport' })),
);

/** Backdating an import (SPEC §4.3 `?enrolledDate=`): office or federation staff only. */
export const CreateRosterImportQuery = /* @__PURE__ */ schema(() =>
  z.strictObject({
    enrolledDate: optional(
      z.iso.date(),
      'backdating (office_staff, federation_admin only; a unit_admin gets 403): every row enrolled on this day, within [enrolmentOpen, today]',
    ),
  }),
);

export const RosterImportParams = /* @__PURE__ */ schema(() => z.strictObject({ importId: serverId() }));
