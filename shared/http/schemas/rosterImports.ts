import { MAX_ROSTER_FILE_BYTES, ROSTER_CONTENT_TYPES } from '../../roster/formats';
import { described, intIn, serverId, text, clientId, schema } from './common';
import * as z from './zod';

/**
 * SPEC §4.3 "Large rosters". `funding` (co-funding) comes with its own issue;
 * until then the strict schema refuses it (400) rather than ignore money.
 */
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
    })
    .check(z.meta({ id: 'CreateRosterImport' })),
);

export const RosterImportParams = /* @__PURE__ */ schema(() => z.strictObject({ importId: serverId() }));
