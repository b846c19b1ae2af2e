import { createHash } from 'node:crypto';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { logger } from '../src/common/logger';
import { captureLog } from './support/captured-log';
import { freePort } from './support/free-port';
import { sampleOf, scrape } from './support/metrics';
import { dataOf, startTestServer, type TestServer } from './support/server';
import { startService } from './support/service-process';
import { createTestDatabase } from './support/test-database';

// Metrics at /metrics and the JSON log, read as an operator would: scraped over HTTP, and the lines the service writes.
jest.setTimeout(60_000);

let server: TestServer;
beforeAll(async () => {
  // Apollo's own path is watched here: the response cache would answer a repeated request before it (its metrics and
  // log lines are tested in response-cache.test.ts).
  server = await startTestServer({ SLOW_OPERATION_MS: '0', RESPONSE_CACHE_BYTES: '0' });
});
afterAll(async () => {
  await server.close();
});

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

test('/metrics serves every family in the Prometheus format, and a request moves its duration and SQL counts', async () => {
  const before = await scrape(server.url);
  expect(before.status).toBe(200);
  expect(before.type).toMatch(/^text\/plain; version=0\.0\.4/);
  for (const family of [
    'dossier_http_request_duration_seconds',
    'dossier_sql_statement_duration_seconds',
    'dossier_db_pool_connections',
    'dossier_cache_lookups_total',
    'dossier_rate_limit_refusals_total',
    'dossier_brief_runs_total',
    'dossier_scheduler_ticks_total',
    'dossier_delivery_attempts_total',
    'dossier_websocket_connections',
    'dossier_websocket_subscriptions',
    'dossier_slow_operations_total',
    'dossier_process_cpu_seconds_total',
  ]) {
    expect(before.text).toContain(`# TYPE ${family} `);
  }
  const probe = { operation: 'MetricsProbe', type: 'query', status: '2xx' };
  const sql = (text: string) => sampleOf(text, 'dossier_sql_statement_duration_seconds_count', { outcome: 'ok' });
  expect(dataOf(await server.gql('query MetricsProbe { actors(first: 1) { totalCount } }')).actors.totalCount).toBeGreaterThan(0);
  const after = await scrape(server.url);
  expect(
    sampleOf(after.text, 'dossier_http_request_duration_seconds_count', probe) - sampleOf(before.text, 'dossier_http_request_duration_seconds_count', probe),
  ).toBe(1);
  // The key's lookup and the compiled query at least.
  expect(sql(after.text) - sql(before.text)).toBeGreaterThanOrEqual(2);
  expect(sampleOf(after.text, 'dossier_db_pool_connections', { pool: 'service', state: 'total' })).toBeGreaterThanOrEqual(1);
  expect(sampleOf(after.text, 'dossier_slow_operations_total') - sampleOf(before.text, 'dossier_slow_operations_total')).toBeGreaterThanOrEqual(1);
});

test('operation names are labels up to a cap, then "other"; no label names a principal, an organisation or a key', async () => {
  await Promise.all(Array.from({ length: 210 }, (_, i) => server.gql(`query Flood${i} { __typename }`)));
  const { text } = await scrape(server.url);
  const operations = new Set([...text.matchAll(/^dossier_http_request_duration_seconds_count\{[^}]*operation="([^"]*)"/gm)].map((m) => m[1]));
  expect(operations.size).toBeLessThanOrEqual(200 + 2); // the cap, `anonymous` and `other`
  expect(operations).toContain('other');
  expect(text).not.toContain('test-org');
  expect(text).not.toContain('tester-');
  expect(text).not.toContain(server.key);
});

test('a request refused by the rate limit is counted, and a subscription and its connection show while open', async () => {
  const limited = await startTestServer({ RATE_LIMIT_POINTS: '1' }, server.databaseUrl);
  try {
    const refusals = async () => sampleOf((await scrape(limited.url)).text, 'dossier_rate_limit_refusals_total', { limit: 'requests', transport: 'http' });
    const before = await refusals();
    expect((await post(limited.url, { query: '{ __typename }' })).status).toBe(200);
    expect((await post(limited.url, { query: '{ __typename }' })).status).toBe(429);
    expect((await refusals()) - before).toBe(1);
  } finally {
    await limited.close();
  }

  const gauges = async () => {
    const { text } = await scrape(server.url);
    return { connections: sampleOf(text, 'dossier_websocket_connections'), subscriptions: sampleOf(text, 'dossier_websocket_subscriptions') };
  };
  const idle = await gauges();
  const client = createClient({ url: `${server.url.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
  try {
    const errors: unknown[] = [];
    client.subscribe(
      { query: 'subscription { changes(filter: { types: ["Actor"] }) { cursor } }' },
      { next: () => undefined, error: (e) => errors.push(e), complete: () => undefined },
    );
    const deadline = Date.now() + 10_000;
    let open = await gauges();
    while (open.subscriptions === idle.subscriptions && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      open = await gauges();
    }
    expect(errors).toEqual([]);
    expect(open).toEqual({ connections: idle.connections + 1, subscriptions: idle.subscriptions + 1 });
  } finally {
    await client.dispose();
  }
  const deadline = Date.now() + 10_000;
  while ((await gauges()).connections !== idle.connections && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  expect(await gauges()).toEqual(idle);
});

test('a lookup of an automatic persisted query counts as a hit or a miss of the apq cache', async () => {
  const query = 'query PersistedProbe { __typename }';
  const extensions = { persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') } };
  const lookups = async () => {
    const { text } = await scrape(server.url);
    return {
      hit: sampleOf(text, 'dossier_cache_lookups_total', { cache: 'apq', result: 'hit' }),
      miss: sampleOf(text, 'dossier_cache_lookups_total', { cache: 'apq', result: 'miss' }),
    };
  };
  const before = await lookups();
  const unknown = await (await post(server.url, { extensions })).json();
  expect(unknown.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  expect((await post(server.url, { query, extensions })).status).toBe(200);
  expect(await (await post(server.url, { extensions })).json()).toEqual({ data: { __typename: 'Query' } });
  expect(await lookups()).toEqual({ hit: before.hit + 1, miss: before.miss + 1 });
});

test('/metrics answers this host directly, not through a proxy; with METRICS_TOKEN, only that bearer token', async () => {
  expect((await scrape(server.url, { 'x-forwarded-for': '203.0.113.7' })).status).toBe(403);
  expect((await scrape(server.url, { forwarded: 'for=203.0.113.7' })).status).toBe(403);
  const token = 'a-metrics-token-of-some-length';
  const guarded = await startTestServer({ METRICS_TOKEN: token }, server.databaseUrl);
  try {
    const refused = await scrape(guarded.url);
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.text).errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await scrape(guarded.url, { authorization: `Bearer ${token}x` })).status).toBe(403);
    expect((await scrape(guarded.url, { authorization: `Bearer ${guarded.key}` })).status).toBe(403);
    const allowed = await scrape(guarded.url, { authorization: `Bearer ${token}`, 'x-forwarded-for': '203.0.113.7' });
    expect(allowed.status).toBe(200);
    expect(allowed.text).toContain('# TYPE dossier_http_request_duration_seconds histogram');
  } finally {
    await guarded.close();
  }
});

test('each request has an id, taken from a sane X-Request-Id or made, echoed, and carried by its log lines with its SQL but no values', async () => {
  const log = captureLog();
  let given: Response;
  let made: Response;
  try {
    const query = 'query LoggedProbe($t: String!) { implications(filter: { topic: $t }) { totalCount } }';
    const variables = { t: 'dprk-troops-in-russia' };
    given = await post(server.url, { query, variables }, { authorization: `Bearer ${server.key}`, 'x-request-id': 'probe-0001' });
    made = await post(server.url, { query, variables }, { authorization: `Bearer ${server.key}`, 'x-request-id': `not sane ${'x'.repeat(200)}` });
    expect(given.status).toBe(200);
    expect(made.status).toBe(200);
  } finally {
    log.restore();
  }
  expect(given.headers.get('x-request-id')).toBe('probe-0001');
  const id = made.headers.get('x-request-id')!;
  expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  for (const requestId of ['probe-0001', id]) {
    const lines = log.entries.filter((e) => e.requestId === requestId);
    expect(lines).toEqual([expect.objectContaining({ level: 'warn', msg: 'slow operation', operation: 'LoggedProbe', type: 'query', status: 200 })]);
    const statements = lines[0].statements as Array<{ sql: string; ms: number }>;
    expect(statements.some((s) => /FROM implication/.test(s.sql) && s.sql.includes('$1'))).toBe(true);
  }
  const text = log.lines.join('');
  expect(text).not.toContain('dprk-troops-in-russia'); // the variable: a parameter, never inlined
  expect(text).not.toContain(server.key);
});

test('an unexpected error is logged with the request id and its SQL, never with its values', async () => {
  const broken = await startTestServer();
  const log = captureLog();
  try {
    await broken.dataSource.query(`ALTER TABLE actor RENAME COLUMN name TO broken_name`);
    const res = await post(
      broken.url,
      { query: 'query Broken($c: String) { actors(filter: { countryCode: $c }) { nodes { name } } }', variables: { c: 'KP' } },
      { 'x-request-id': 'broken-1' },
    );
    expect((await res.json()).errors[0].extensions.code).toBe('INTERNAL_SERVER_ERROR');
  } finally {
    log.restore();
    await broken.close();
  }
  const errors = log.entries.filter((e) => e.level === 'error');
  expect(errors).toEqual([expect.objectContaining({ msg: 'unexpected error', requestId: 'broken-1' })]);
  expect((errors[0].err as { message: string }).message).toContain('column t1.name does not exist');
  expect(errors[0].err).toMatchObject({ sql: expect.stringContaining('$1') });
  expect(log.lines.join('')).not.toContain('"KP"');
});

test('no API key, new or used, and no JWT reaches the log, whatever a message carries', async () => {
  const log = captureLog();
  const level = logger.level;
  logger.level = 'debug';
  let created: string;
  try {
    created = dataOf(
      await server.gql(`mutation($input: ApiKeyInput!) { createApiKey(input: $input) { key } }`, {
        input: { name: 'logged-viewer', role: 'VIEWER', clearance: 'GREEN' },
      }),
    ).createApiKey.key;
    expect((await server.gqlAs(created, '{ __typename }')).status).toBe(200);
    expect((await server.gqlAs(`${created}x`, '{ __typename }')).status).toBe(401);
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzb21lb25lIn0.c2lnbmF0dXJl';
    logger.error({ err: new Error(`refused ${created}`), header: `Bearer ${jwt}` }, `a line that names ${server.key}`);
  } finally {
    logger.level = level;
    log.restore();
  }
  expect(log.entries.filter((e) => e.msg === 'request served' || e.msg === 'slow operation')).toHaveLength(3);
  const text = log.lines.join('');
  for (const secret of [server.key, created, 'eyJhbGciOiJSUzI1NiJ9']) expect(text).not.toContain(secret);
  expect(text).toContain('a line that names [redacted]');
  expect(text).toContain('Bearer [redacted]');
});

test('the service as a process writes JSON lines on standard output, a request id on each of a request', async () => {
  const database = await createTestDatabase();
  const port = await freePort();
  const service = startService({ SEED: 'false', SCHEDULER: 'false', PORT: String(port), DATABASE_URL: database.url, LOG_LEVEL: 'debug' });
  try {
    await service.waitFor(/^Dossier ready/, 30_000);
    const res = await post(`http://127.0.0.1:${port}`, { query: 'query ProcessProbe { __typename }' }, { 'x-request-id': 'process-probe-1' });
    expect(res.status).toBe(200);
    await service.waitFor(/^request served$/, 5_000);
    expect(service.entries.filter((e) => e.requestId === 'process-probe-1')).toEqual([
      expect.objectContaining({ level: 'debug', msg: 'request served', operation: 'ProcessProbe', status: 200, service: 'dossier' }),
    ]);
    expect(service.entries.find((e) => /^Dossier ready/.test(e.msg))).toMatchObject({ level: 'info', time: expect.any(String) });
    expect(service.lines.filter((l) => !l.startsWith('{'))).toEqual([]);
  } finally {
    await service.stop();
    await database.drop();
  }
});
