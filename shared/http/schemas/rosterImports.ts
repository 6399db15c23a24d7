import { MAX_ROSTER_FILE_BYTES, ROSTER_CONTENT_TYPES } from '../../roster/formats';
import { described, intIn, serverId, text, clientId, schema } from './common';
import { FundingPerShare } from './enrolments';
import * as z from './zod';

/** SPEC §4.3 "Large rosters"; `funding` is the roster's co-funding, as beside `members` in a JSON roster. */
export const CreateRosterImportBody = /* @__PURE__ */ schema(() =>
  z
    .strictObject({
      planId: clientId(),
      fileName: described(text(255), 'as the clerk named it; shown back, never part of a key, log or link'),
      contentType: z.enum([ROSTER_CONTENT_TYPES.csv, ROSTER_CONTENT_TYPES.xlsx]),
      sizeBytes: described(
        intIn(1, MAX_ROSTER_FILE_BYTES),
        'the exact size of the file to upload: the upload may not be larger (≤ 20 MiB)',
      ),
      funding: z.optional(FundingPerShare),
    })
    .check(z.meta({ id: 'CreateRosterImport' })),
);

export const RosterImportParams = /* @__PURE__ */ schema(() => z.strictObject({ importId: serverId() }));
