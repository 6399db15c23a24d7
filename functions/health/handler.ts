import { httpHandler } from '../../shared/http/handler';

export const handler = httpHandler('health', async ({ deps }) => ({
  status: 200,
  body: { status: 'ok', time: deps.clock.now().toISOString() },
}));
