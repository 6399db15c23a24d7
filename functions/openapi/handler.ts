import { httpHandler } from '../../shared/http/handler';
import { openapi } from '../../shared/http/routes/meta';
import { openApiDocument } from '../../shared/http/openapi';

let doc: unknown;

export const handler = httpHandler('openapi', openapi, async () => ({
  status: 200,
  body: (doc ??= openApiDocument()),
}));
