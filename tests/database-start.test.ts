import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDatabaseProxy } from './support/database-proxy';
import { freePort } from './support/free-port';
import { startService } from './support/service-process';
import { adminUrl, createTestDatabase, withAdmin } from './support/test-database';

// The real start (src/main.ts) waits for a database that is not there yet, says what it waits for, and gives up in
// bounded time.
// Every test starts the service as child processes (and some a PostgreSQL cluster): pinned to one core beside the
// rest of the suite, the slowest take a quarter of a minute, so each gets three times that and more.
jest.setTimeout(90_000);

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
    expect(service.problems.at(-1)).toBe(
      `The database did not answer within DATABASE_WAIT_S=2 s: DATABASE_URL ${redacted(url)} (no answer in time); ` +
        'check that PostgreSQL runs there and that DATABASE_URL names it, or wait longer with a larger DATABASE_WAIT_S.',
    );
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
    expect(service.messages.some((l) => /^Dossier ready/.test(l))).toBe(false);
  } finally {
    await service.stop();
    taken.close();
    await database.drop();
  }
});

const GAVE_UP_ADVICE = 'check that PostgreSQL runs there and that DATABASE_URL names it, or wait longer with a larger DATABASE_WAIT_S.';

test('a database that refuses connections is given up after DATABASE_WAIT_S, in one sentence that says what to do', async () => {
  const url = `postgres://dossier:sekrit-password@127.0.0.1:${await freePort()}/dossier`;
  const service = startService({ ...QUIET, DATABASE_URL: url, DATABASE_WAIT_S: '1' });
  expect(await service.exited).toBe(1);
  expect(service.problems[0]).toBe(`database: waiting for DATABASE_URL ${redacted(url)} (connection refused); retrying for up to 1 s`);
  expect(service.problems.filter((line) => !line.startsWith('database: waiting for '))).toEqual([
    `The database did not answer within DATABASE_WAIT_S=1 s: DATABASE_URL ${redacted(url)} (connection refused); ${GAVE_UP_ADVICE}`,
  ]);
  expect(service.lines.join('\n')).not.toContain('sekrit-password');
});

test('a DATABASE_URL that no wait would mend stops the start at once, in one sentence on stderr that names it and says what to do', async () => {
  const admin = new URL(adminUrl());
  const suffix = String(process.pid);
  const role = `dossier_cannot_create_${suffix}`;
  const empty = `dossier_empty_${suffix}`;
  /** The test cluster as `user` (with the admin's password unless given one), on `database`. */
  const at = (user: string, database: string, { password = admin.password, query = '' } = {}) => {
    const url = new URL(admin);
    Object.assign(url, { username: user, password, pathname: `/${database}`, search: query });
    return url.toString();
  };
  const sslOn = await withAdmin(async (c) => {
    await c.query(`CREATE ROLE "${role}" LOGIN PASSWORD 'sekrit-password'`);
    await c.query(`CREATE DATABASE "${empty}"`); // its schema public is its owner's only (PostgreSQL 15 and later)
    return (await c.query('SHOW ssl')).rows[0].ssl === 'on';
  });
  const cases = [
    {
      url: at(`dossier_no_such_role_${suffix}`, 'postgres', { password: 'sekrit-password' }),
      // A server that checks passwords does not say whether the role exists.
      says: /^DATABASE_URL \S+ was refused by the server \((role|password authentication failed for user) "dossier_no_such_role_\d+"( does not exist)?\): correct the user name and password in DATABASE_URL, or create that role\.$/,
    },
    {
      url: at(admin.username, `dossier_no_such_database_${suffix}`),
      says: /^DATABASE_URL \S+ names a database that does not exist: create it \(createdb\), or name an existing one in DATABASE_URL\.$/,
    },
    {
      url: at(role, empty, { password: 'sekrit-password' }),
      says: /^DATABASE_URL \S+ may not create the service's tables \(permission denied for schema public\): connect as the database's owner, or grant that role CREATE on its schema\.$/,
    },
    {
      url: 'postgres://dossier:sekrit-password@127.0.0.1:99999/dossier',
      says: /^DATABASE_URL \S+ is not a URL the driver can read: write it as postgres:\/\/user:password@host:5432\/database, with special characters in the password percent-encoded\.$/,
    },
    ...(sslOn
      ? []
      : [
          {
            url: at(admin.username, 'postgres', { query: '?ssl=true' }),
            says: /^DATABASE_URL \S+ asks for SSL, which the server does not offer: drop sslmode \(or ssl\) from DATABASE_URL, or turn SSL on at the server\.$/,
          },
        ]),
  ];
  try {
    const results = await Promise.all(
      cases.map(async ({ url }) => {
        const started = Date.now();
        // A long wait allowed: none of these may use it.
        const service = startService({ ...QUIET, DATABASE_URL: url, DATABASE_WAIT_S: '60' });
        return { code: await service.exited, messages: service.messages, problems: service.problems, ms: Date.now() - started };
      }),
    );
    results.forEach(({ code, messages, problems, ms }, i) => {
      expect({ url: cases[i].url, code }).toEqual({ url: cases[i].url, code: 1 });
      expect(messages).toEqual(problems); // nothing but the problem
      expect(problems).toHaveLength(1); // no stack trace, no waiting
      expect(problems[0]).toMatch(cases[i].says);
      expect(problems[0].startsWith(`DATABASE_URL ${redacted(cases[i].url)} `)).toBe(true);
      expect(problems[0]).not.toContain('sekrit-password');
      expect(ms).toBeLessThan(30_000);
    });
  } finally {
    await withAdmin(async (c) => {
      await c.query(`DROP DATABASE IF EXISTS "${empty}" WITH (FORCE)`);
      await c.query(`DROP ROLE IF EXISTS "${role}"`);
    });
  }
}, 90_000);

// The embedded server runs where the suite's own does; where it cannot, the suite runs on DATABASE_URL (.ci/run).
(process.env.DATABASE_URL ? test.skip : test)(
  'a second start on an embedded data directory in use, or on its port, says so plainly',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dossier-in-use-'));
    const port = await freePort();
    const env = { ...QUIET, EMBEDDED_PG_DIR: dir, EMBEDDED_PG_PORT: String(port) };
    const first = startService(env);
    const holder: Server = createServer();
    try {
      await first.waitFor(/^Dossier ready/, 60_000);
      const second = startService(env);
      expect(await second.exited).toBe(1);
      expect(second.problems).toEqual([
        `Another Dossier is already running on ${dir} (pid ${first.child.pid}): stop it, or set EMBEDDED_PG_DIR and EMBEDDED_PG_PORT to run a second one beside it.`,
      ]);
      expect(await first.stop()).toBe(0);
      // The data directory is free again, its port is not.
      await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
      const third = startService(env);
      expect(await third.exited).toBe(1);
      expect(third.problems).toEqual([
        `Port ${port} on 127.0.0.1 (EMBEDDED_PG_PORT) is taken, perhaps by another Dossier's embedded PostgreSQL: stop that one, or set EMBEDDED_PG_PORT to a free port.`,
      ]);
    } finally {
      await first.stop();
      holder.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
  120_000,
);

test('the start-up log says the mode: production or not, anonymous reads, seed, introspection and GraphiQL', async () => {
  const databases = await Promise.all([createTestDatabase(), createTestDatabase()]);
  const [trying, production] = [
    startService({ NODE_ENV: 'development', SCHEDULER: 'false', PORT: '0', DATABASE_URL: databases[0].url }),
    startService({ NODE_ENV: 'production', ANONYMOUS: 'off', SEED: 'false', SCHEDULER: 'false', PORT: '0', DATABASE_URL: databases[1].url }),
  ];
  try {
    expect(await trying.waitFor(/^Dossier mode: /, 30_000)).toBe(
      'Dossier mode: development; anonymous reads on, TLP:CLEAR only (ANONYMOUS=read); seed loaded (SEED=true); introspection on; GraphiQL at /',
    );
    expect(await production.waitFor(/^Dossier mode: /, 30_000)).toBe(
      'Dossier mode: production; anonymous requests refused (ANONYMOUS=off); seed not loaded (SEED=false); introspection off; GraphiQL off',
    );
  } finally {
    await Promise.all([trying.stop(), production.stop()]);
    await Promise.all(databases.map((d) => d.drop()));
  }
});
