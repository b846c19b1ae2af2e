import { Client } from 'pg';
import { createDataSource } from '../src/db/data-source';
import { startDatabaseProxy, type DatabaseProxy } from './support/database-proxy';
import { startTestServer, type TestServer } from './support/server';
import { createTestDatabase } from './support/test-database';

// The service's database put out of reach through a relay (cut: down; frozen: no answers), the cluster left alone.
const TIGHT = { DATABASE_CONNECT_TIMEOUT_MS: '1000', STATEMENT_TIMEOUT_MS: '1000', DATABASE_QUERY_TIMEOUT_MS: '2000' };

let database: Awaited<ReturnType<typeof createTestDatabase>>;
const proxies: DatabaseProxy[] = [];
const servers: TestServer[] = [];
/** Its monitor checked once, at start: requests meet the outage themselves. */
let unwatched: { server: TestServer; proxy: DatabaseProxy };
/** Its monitor checks five times a second. */
let watched: { server: TestServer; proxy: DatabaseProxy };

async function serveThroughProxy(env: Record<string, string>) {
  const proxy = await startDatabaseProxy(database.url);
  const server = await startTestServer({ ...TIGHT, ...env }, proxy.url);
  proxies.push(proxy);
  servers.push(server);
  return { server, proxy };
}

beforeAll(async () => {
  database = await createTestDatabase();
  unwatched = await serveThroughProxy({ DATABASE_CHECK_INTERVAL_MS: '60000' });
  watched = await serveThroughProxy({ DATABASE_CHECK_INTERVAL_MS: '200', DATABASE_CHECK_TIMEOUT_MS: '500' });
});
afterAll(async () => {
  for (const proxy of proxies) proxy.thaw();
  await Promise.all(servers.map((s) => s.close()));
  await Promise.all(proxies.map((p) => p.close()));
  await database.drop();
});

const QUERY = '{ topics { totalCount } }';

/** A request that gives up after 10 s, so a hanging service fails the test instead of stalling it. */
async function post(server: TestServer, key: string | null, query = QUERY) {
  const started = performance.now();
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  return { status: response.status, retryAfter: response.headers.get('retry-after'), text, body: JSON.parse(text), ms: performance.now() - started };
}

const readyz = async (server: TestServer) => {
  const started = performance.now();
  const response = await fetch(`${server.url}/readyz`, { signal: AbortSignal.timeout(10_000) });
  return { status: response.status, body: await response.json(), ms: performance.now() - started };
};

async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean, withinMs: number): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** What a client sees of a request while the database is away. */
const outcome = (r: Awaited<ReturnType<typeof post>>) => ({
  status: r.status,
  retryAfter: r.retryAfter,
  codes: r.body.errors?.map((e: { extensions?: { code?: string } }) => e.extensions?.code),
  detail: /ECONNREFUSED|127\.0\.0\.1|terminated|timeout|connect/i.test(r.text) ? r.text : 'none',
});
const UNAVAILABLE = { status: 503, retryAfter: '2', codes: ['SERVICE_UNAVAILABLE'], detail: 'none' };

test('while the database is down, requests with and without a key are 503 SERVICE_UNAVAILABLE with Retry-After, and no detail', async () => {
  const { server, proxy } = unwatched;
  expect((await post(server, server.key)).status).toBe(200);
  await proxy.cut();
  try {
    expect(outcome(await post(server, server.key))).toEqual(UNAVAILABLE);
    expect(outcome(await post(server, null))).toEqual(UNAVAILABLE);
    const mutation = `mutation { createApiKey(input: { name: "during-outage", role: VIEWER, clearance: CLEAR }) { key } }`;
    expect(outcome(await post(server, server.key, mutation))).toEqual(UNAVAILABLE);
  } finally {
    await proxy.restore();
  }
  const back = await eventually(
    () => post(server, null),
    (r) => r.status === 200,
    5_000,
  );
  expect(back.body).toEqual({ data: { topics: { totalCount: expect.any(Number) } } });
});

test('a frozen database is answered with 503 within the client timeouts, not held until it thaws', async () => {
  const { server, proxy } = unwatched;
  proxy.freeze();
  const thaw = setTimeout(() => proxy.thaw(), 8_000); // the old behaviour: held until then
  try {
    const [keyed, anonymous] = await Promise.all([post(server, server.key), post(server, null)]);
    expect([outcome(keyed), outcome(anonymous)]).toEqual([UNAVAILABLE, UNAVAILABLE]);
    // DATABASE_QUERY_TIMEOUT_MS (2 s) for a pooled connection, DATABASE_CONNECT_TIMEOUT_MS (1 s) for a new one.
    expect(Math.max(keyed.ms, anonymous.ms)).toBeLessThan(5_000);
  } finally {
    clearTimeout(thaw);
    proxy.thaw();
  }
  expect(
    (
      await eventually(
        () => post(server, server.key),
        (r) => r.status === 200,
        5_000,
      )
    ).status,
  ).toBe(200);
});

test('a connection whose query got no answer is closed, not handed on inside its transaction', async () => {
  const proxy = await startDatabaseProxy(database.url);
  proxies.push(proxy);
  const dataSource = createDataSource(proxy.url, { statement: 500, connect: 1000, query: 1000, idleInTransaction: 60_000 });
  await dataSource.initialize();
  const direct = new Client({ connectionString: database.url });
  await direct.connect();
  try {
    await direct.query('CREATE TABLE outage_probe (label text)');
    const runner = dataSource.createQueryRunner();
    await runner.startTransaction();
    proxy.freeze();
    await expect(runner.query(`INSERT INTO outage_probe VALUES ('unacknowledged')`)).rejects.toThrow('Query read timeout');
    await runner.rollbackTransaction().catch(() => undefined); // as a failed request would: it cannot reach the server either
    await runner.release();
    proxy.thaw();
    await dataSource.transaction((manager) => manager.query(`INSERT INTO outage_probe VALUES ('next')`));
    const { rows } = await direct.query('SELECT label FROM outage_probe ORDER BY label');
    expect(rows.map((r) => r.label)).toEqual(['next']);
  } finally {
    proxy.thaw();
    await direct.end();
    await dataSource.destroy();
  }
});

test('a watched database that freezes is noticed at once: /readyz says so instantly and requests are refused without waiting', async () => {
  const { server, proxy } = watched;
  expect((await readyz(server)).body).toMatchObject({ status: 'ready', database: { status: 'up' }, scheduler: { status: 'off' } });
  proxy.freeze();
  const thaw = setTimeout(() => proxy.thaw(), 8_000);
  try {
    const noticed = await eventually(
      () => readyz(server),
      (r) => r.status === 503,
      5_000,
    );
    expect(noticed.body).toMatchObject({ status: 'database unreachable', database: { status: 'down', reason: 'no answer in time' } });
    expect(noticed.ms).toBeLessThan(1_000);
    const [keyed, anonymous] = await Promise.all([post(server, server.key), post(server, null)]);
    expect([outcome(keyed), outcome(anonymous)]).toEqual([UNAVAILABLE, UNAVAILABLE]);
    expect(Math.max(keyed.ms, anonymous.ms)).toBeLessThan(1_000);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  } finally {
    clearTimeout(thaw);
    proxy.thaw();
  }
  const thawed = Date.now();
  const ready = await eventually(
    () => readyz(server),
    (r) => r.status === 200,
    5_000,
  );
  expect(ready.body.database.status).toBe('up');
  expect(Date.now() - thawed).toBeLessThan(2_000);
  expect((await post(server, server.key)).status).toBe(200);
});

test('readiness does not queue for the pool: with every pooled connection busy, /readyz answers at once', async () => {
  const server = await startTestServer();
  servers.push(server);
  const pool = (server.dataSource.driver as unknown as { master: { totalCount: number; idleCount: number } }).master;
  const busy = Array.from({ length: 10 }, () => server.dataSource.query('SELECT pg_sleep(4)'));
  try {
    await eventually(
      async () => pool,
      (p) => p.totalCount === 10 && p.idleCount === 0,
      5_000,
    );
    const ready = await readyz(server);
    expect({ status: ready.status, body: ready.body.status }).toEqual({ status: 200, body: 'ready' });
    expect(ready.ms).toBeLessThan(1_500);
  } finally {
    await Promise.all(busy);
  }
});
