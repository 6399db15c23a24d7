import { httpHandler } from '../../shared/http/handler';
import { health } from '../../shared/http/routes/meta';

export const handler = httpHandler('health', health, async ({ deps }) => ({
  status: 200,
  body: { status: 'ok', time: deps.clock.now().toISOString() },
}));
