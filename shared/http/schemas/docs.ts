import { schema } from './common';
import * as z from './zod';

/** The static files of the API reference page (GET /docs/{file}); anything else is 404. */
export const DOCS_FILES = ['swagger-ui-bundle.js', 'swagger-ui.css', 'init.js'] as const;
export type DocsFile = (typeof DOCS_FILES)[number];

export const DocsAssetParams = /* @__PURE__ */ schema(() => z.object({ file: z.string().check(z.minLength(1), z.maxLength(64)) }));
