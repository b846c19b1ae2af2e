import { createServer, type Server, type Socket } from 'node:net';
import { startDatabaseProxy } from './support/database-proxy';
import { startService } from './support/service-process';
import { createTestDatabase } from './support/test-database';

// The real start (src/main.ts) waits for a database that is not there yet, says what it waits for, and gives up in
// bounded time.
const QUIET = { SEED: 'false', SCHEDULER: 'false', PORT: '0' };
const redacted = (url: string) => url.replace(/:[^:@/]+@/, ':***@');
const literally = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test('a database endpoint that accepts connections but never answers is given up after DATABASE_WAIT_S, naming DATABASE_URL', async () => {
  const sockets: Socket[] = [];
  const silent: Server = createServer((socket) => void sockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const url = `postgres://dossier:sekrit-password@127.0.0.1:${(silent.address() as { port: number }).port}/dossier`;
  const service = startService({ ...QUIET, DATABASE_URL: url, DATABASE_WAIT_S: '2', DATABASE_CONNECT_TIMEOUT_MS: '500' });
  try {
    const waiting = await service.waitFor(/^database: waiting/, 20_000);
    expect(waiting).toBe(`database: waiting for DATABASE_URL ${redacted(url)} (no answer in time); retrying for up to 2 s`);
    const started = Date.now();
    await service.waitFor(/did not answer/, 10_000);
    expect(await service.exited).toBe(1);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(service.lines).toContain(`The database did not answer within DATABASE_WAIT_S=2 s: DATABASE_URL ${redacted(url)} (no answer in time)`);
    expect(service.lines.join('\n')).not.toContain('sekrit-password');
  } finally {
    await service.stop();
    for (const socket of sockets) socket.destroy();
    silent.close();
  }
});

test('a database that refuses connections at first is waited for, and the service starts once it answers', async () => {
  const database = await createTestDatabase();
  const proxy = await startDatabaseProxy(database.url);
  await proxy.cut();
  const service = startService({ ...QUIET, DATABASE_URL: proxy.url, DATABASE_WAIT_S: '60' });
  try {
    await service.waitFor(new RegExp(`^database: waiting for DATABASE_URL ${literally(redacted(proxy.url))} \\(connection refused\\)`), 20_000);
    await proxy.restore();
    await service.waitFor(new RegExp(`^database: DATABASE_URL ${literally(redacted(proxy.url))} answers$`), 15_000);
    await service.waitFor(/^Dossier ready/, 20_000);
    expect(await service.stop()).toBe(0);
  } finally {
    await service.stop();
    await proxy.close();
    await database.drop();
  }
});

test('a port already in use stops the start with a message, never a "ready" that listens on nothing', async () => {
  const database = await createTestDatabase();
  const taken: Server = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const port = String((taken.address() as { port: number }).port);
  const service = startService({ ...QUIET, DATABASE_URL: database.url, PORT: port });
  try {
    await service.waitFor(/cannot listen/, 30_000);
    expect(await service.exited).toBe(1);
    expect(service.lines.some((l) => /^Dossier ready/.test(l))).toBe(false);
  } finally {
    await service.stop();
    taken.close();
    await database.drop();
  }
});
