import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGateway, type LocalFunction } from '../../infra/local/gateway';
import { loadOrCreateKey, makeVerifier, signToken } from '../../infra/local/jwt';
import type { Role } from '../../shared/domain/scope';

/**
 * The local gateway (JWT authorizer, body limit, catch-all) in this test
 * process on a free loopback port, serving the handler modules against the
 * test emulators (process.env, as Lambda reads it). No emulators of its own.
 */
export const startTestGateway = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'huzhu-gw-'));
  const key = await loadOrCreateKey(join(dir, 'key.json'));
  const handlers = new Map<string, Promise<LocalFunction>>();
  const server: Server = createGateway({
    verify: await makeVerifier(key),
    loadHandler: (name) => {
      let h = handlers.get(name);
      if (!h) {
        h = import(`../../functions/${name}/handler.ts`).then((m: { handler: LocalFunction }) => m.handler);
        handlers.set(name, h);
      }
      return h;
    },
    corsOrigins: [],
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    key,
    token: (role: Role, org: string, sub = `${role}@${org}`) => signToken(key, { sub, role, org }),
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
