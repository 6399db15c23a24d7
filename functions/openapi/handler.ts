import { httpHandler } from '../../shared/http/handler';
import { openApiDocument } from '../../shared/http/openapi';

let doc: unknown;

export const handler = httpHandler('openapi', async () => ({
  status: 200,
  body: (doc ??= openApiDocument()),
}));
