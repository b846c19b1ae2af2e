import { request, type IncomingHttpHeaders } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { startDatabaseProxy } from './support/database-proxy';
import { startTestServer, type TestServer } from './support/server';
import { createTestDatabase } from './support/test-database';

// Pages of other origins (CORS_ORIGINS), compressed answers, and rate limits per client behind a proxy.
const DASHBOARD = 'https://dash.example.org';
const LOCAL_DEV = 'http://localhost:5173';
const STRANGER = 'https://elsewhere.example.net';
const QUERY = '{ topics { totalCount } }';
/** About 14 KB of JSON for an anonymous reader. */
const BRIEF = '{ brief(input: { topics: ["dprk-troops-in-russia"] }) { markdown } }';

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body as sent, before any decoding. */
  body: Buffer;
}

/** One HTTP request with nothing added (no Accept-Encoding, no decompression), to see exactly what is sent back. */
function raw(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    // No agent: a connection per request, none left open when the servers close.
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers, timeout: 60_000, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('no answer in 60 s')));
    req.on('error', reject);
    req.end(init.body);
  });
}

const decoded = (r: RawResponse) =>
  r.headers['content-encoding'] === 'br' ? brotliDecompressSync(r.body) : r.headers['content-encoding'] === 'gzip' ? gunzipSync(r.body) : r.body;
const json = (r: RawResponse) => JSON.parse(decoded(r).toString('utf8'));

const post = (server: TestServer, headers: Record<string, string>, body: string) =>
  raw(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
const postQuery = (server: TestServer, headers: Record<string, string>, query = QUERY) => post(server, headers, JSON.stringify({ query }));
const preflight = (server: TestServer, origin: string, requestHeaders = 'content-type') =>
  raw(`${server.url}/graphql`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': requestHeaders },
  });

const corsHeaders = (r: RawResponse) => Object.keys(r.headers).filter((h) => h.startsWith('access-control-'));
const list = (value: string | string[] | undefined) => String(value ?? '').split(/\s*,\s*/);

let listed: TestServer;
let limited: TestServer;
let anyOrigin: TestServer;
let plain: TestServer;
let proxied: TestServer;
let direct: TestServer;

beforeAll(async () => {
  listed = await startTestServer({ CORS_ORIGINS: `${DASHBOARD}, ${LOCAL_DEV}`, MAX_BODY_BYTES: '2048' });
  const shared = listed.databaseUrl;
  [limited, anyOrigin, plain, proxied, direct] = await Promise.all([
    startTestServer({ CORS_ORIGINS: DASHBOARD, RATE_LIMIT_POINTS: '2' }, shared),
    startTestServer({ CORS_ORIGINS: '*' }, shared),
    startTestServer({}, shared),
    startTestServer({ TRUST_PROXY: '1', RATE_LIMIT_POINTS: '2' }, shared),
    startTestServer({ RATE_LIMIT_POINTS: '2' }, shared),
  ]);
});
afterAll(async () => {
  await Promise.all([limited, anyOrigin, plain, proxied, direct].map((s) => s?.close()));
  await listed?.close(); // last: it drops the database the others share
});

test('a preflight from a listed origin is answered 204 with what its page may send and read, before rate limits count it', async () => {
  for (let i = 0; i < 5; i += 1) {
    const answer = await preflight(limited, DASHBOARD, 'content-type,authorization,idempotency-key');
    expect(answer.status).toBe(204);
    expect(answer.headers['access-control-allow-origin']).toBe(DASHBOARD);
    expect(answer.headers['ratelimit-remaining']).toBeUndefined();
  }
  const answer = await preflight(listed, LOCAL_DEV, 'content-type,authorization');
  expect(answer.status).toBe(204);
  expect(answer.headers['access-control-allow-origin']).toBe(LOCAL_DEV);
  expect(list(answer.headers.vary)).toContain('Origin');
  expect(list(answer.headers['access-control-allow-methods']).sort()).toEqual(['GET', 'OPTIONS', 'POST']);
  expect(list(answer.headers['access-control-allow-headers'])).toEqual(
    expect.arrayContaining(['content-type', 'authorization', 'idempotency-key', 'x-request-id', 'apollo-require-preflight', 'x-apollo-operation-name']),
  );
  expect(list(answer.headers['access-control-expose-headers'])).toEqual(
    expect.arrayContaining(['Retry-After', 'RateLimit-Remaining', 'X-Request-Id', 'Dossier-Cache']),
  );
  expect(answer.headers['access-control-max-age']).toBe('7200');
  expect(answer.headers['access-control-allow-credentials']).toBeUndefined();
  // The five preflights took nothing of the budget of two.
  expect((await postQuery(limited, { origin: DASHBOARD })).status).toBe(200);
  expect((await postQuery(limited, { origin: DASHBOARD })).status).toBe(200);
});

test('an origin not listed gets no CORS header, and CSRF prevention still refuses its simple requests', async () => {
  const answer = await preflight(listed, STRANGER);
  expect(answer.status).not.toBe(204);
  expect(corsHeaders(answer)).toEqual([]);
  // A form or a text/plain fetch needs no preflight: Apollo refuses it before it runs.
  const simple = await raw(`${listed.url}/graphql`, {
    method: 'POST',
    headers: { origin: STRANGER, 'content-type': 'text/plain' },
    body: JSON.stringify({ query: 'mutation { createApiKey(input: { name: "csrf", role: VIEWER, clearance: CLEAR }) { key } }' }),
  });
  expect(simple.status).toBe(400);
  expect(json(simple).errors[0].message).toMatch(/Cross-Site Request Forgery/);
  expect(corsHeaders(simple)).toEqual([]);
  const get = await raw(`${listed.url}/graphql?query=${encodeURIComponent(QUERY)}`, { headers: { origin: STRANGER } });
  expect(get.status).toBe(400);
  expect(corsHeaders(get)).toEqual([]);
  // Allowed or not, the answer depends on Origin: a shared cache must keep them apart.
  const json200 = await postQuery(listed, { origin: STRANGER });
  expect(json200.status).toBe(200);
  expect(corsHeaders(json200)).toEqual([]);
  expect(list(json200.headers.vary)).toContain('Origin');
});

test('a listed origin gets its own origin back on every answer: data, GraphQL errors, bad bodies, refused keys', async () => {
  const withKey = await postQuery(listed, { origin: DASHBOARD, authorization: `Bearer ${listed.key}` });
  expect(withKey.status).toBe(200);
  expect(withKey.headers['access-control-allow-origin']).toBe(DASHBOARD);
  expect(list(withKey.headers['access-control-expose-headers'])).toEqual(
    expect.arrayContaining(['Retry-After', 'RateLimit-Remaining', 'X-Request-Id', 'Dossier-Cache']),
  );
  expect(withKey.headers['x-request-id']).toMatch(/\S/);
  expect(withKey.headers['cross-origin-resource-policy']).toBe('cross-origin');

  const invalid = await postQuery(listed, { origin: LOCAL_DEV, accept: 'application/graphql-response+json' }, '{ noSuchField }');
  expect(invalid.status).toBe(400);
  expect(json(invalid).errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  expect(invalid.headers['access-control-allow-origin']).toBe(LOCAL_DEV);

  const malformed = await post(listed, { origin: DASHBOARD }, '{"query": ');
  expect(malformed.status).toBe(400);
  expect(json(malformed).errors[0].extensions.code).toBe('BAD_REQUEST');
  expect(malformed.headers['access-control-allow-origin']).toBe(DASHBOARD);

  const tooLarge = await post(listed, { origin: DASHBOARD }, JSON.stringify({ query: `# ${'x'.repeat(3000)}\n${QUERY}` }));
  expect(tooLarge.status).toBe(413);
  expect(tooLarge.headers['access-control-allow-origin']).toBe(DASHBOARD);

  const refusedKey = await postQuery(listed, { origin: DASHBOARD, authorization: 'Bearer dsk_not-a-key' });
  expect(refusedKey.status).toBe(401);
  expect(refusedKey.headers['access-control-allow-origin']).toBe(DASHBOARD);
});

test('a listed origin over its rate limit gets 429 RATE_LIMITED with its origin and a Retry-After it may read', async () => {
  const key = { origin: DASHBOARD, authorization: `Bearer ${limited.key}` };
  expect((await postQuery(limited, key)).status).toBe(200);
  expect((await postQuery(limited, key)).status).toBe(200);
  const refused = await postQuery(limited, key);
  expect(refused.status).toBe(429);
  expect(json(refused).errors[0].extensions.code).toBe('RATE_LIMITED');
  expect(refused.headers['access-control-allow-origin']).toBe(DASHBOARD);
  expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  expect(list(refused.headers['access-control-expose-headers'])).toContain('Retry-After');
});

test('with *, any page may read what anyone may read, but may not send a key', async () => {
  const answer = await preflight(anyOrigin, STRANGER, 'content-type,authorization');
  expect(answer.status).toBe(204);
  expect(answer.headers['access-control-allow-origin']).toBe('*');
  expect(list(answer.headers['access-control-allow-headers'])).toContain('content-type');
  expect(list(answer.headers['access-control-allow-headers'])).not.toContain('authorization');
  expect(answer.headers['access-control-allow-credentials']).toBeUndefined();
  const read = await postQuery(anyOrigin, { origin: STRANGER });
  expect(read.status).toBe(200);
  expect(read.headers['access-control-allow-origin']).toBe('*');
  expect(read.headers['access-control-allow-credentials']).toBeUndefined();
});

test('without CORS_ORIGINS no page of another origin is let in, and resources stay same-origin', async () => {
  const answer = await preflight(plain, DASHBOARD);
  expect(corsHeaders(answer)).toEqual([]);
  const read = await postQuery(plain, { origin: DASHBOARD });
  expect(corsHeaders(read)).toEqual([]);
  expect(read.headers['cross-origin-resource-policy']).toBe('same-origin');
});

test('the GraphiQL page is served with br or gzip, under a third of its size, and revalidated by ETag', async () => {
  const identity = await raw(`${listed.url}/`);
  expect(identity.status).toBe(200);
  expect(identity.headers['content-encoding']).toBeUndefined();
  expect(identity.body.length).toBeGreaterThan(1_000_000);
  for (const encoding of ['gzip', 'br']) {
    const page = await raw(`${listed.url}/`, { headers: { 'accept-encoding': encoding } });
    expect(page.status).toBe(200);
    expect(page.headers['content-encoding']).toBe(encoding);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body.length).toBeLessThan(identity.body.length / 3);
    expect(decoded(page).equals(identity.body)).toBe(true);
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(list(page.headers.vary)).toContain('Accept-Encoding');
    const etag = page.headers.etag!;
    expect(etag).not.toBe(identity.headers.etag);
    const again = await raw(`${listed.url}/`, { headers: { 'accept-encoding': encoding, 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  }
  // What browsers send: both, br preferred.
  const browser = await raw(`${listed.url}/`, { headers: { 'accept-encoding': 'gzip, deflate, br, zstd' } });
  expect(browser.headers['content-encoding']).toBe('br');
});

test('large JSON answers are compressed when the client accepts it, small ones and the others are not', async () => {
  const plainBrief = await postQuery(listed, {}, BRIEF);
  expect(plainBrief.headers['content-encoding']).toBeUndefined();
  expect(plainBrief.body.length).toBeGreaterThan(5_000);
  for (const encoding of ['gzip', 'br']) {
    const brief = await postQuery(listed, { 'accept-encoding': encoding }, BRIEF);
    expect(brief.status).toBe(200);
    expect(brief.headers['content-encoding']).toBe(encoding);
    expect(brief.body.length).toBeLessThan(plainBrief.body.length / 2);
    expect(json(brief)).toEqual(JSON.parse(plainBrief.body.toString('utf8')));
  }
  const small = await postQuery(listed, { 'accept-encoding': 'gzip, br' });
  expect(small.status).toBe(200);
  expect(small.headers['content-encoding']).toBeUndefined();
});

test('behind a trusted proxy each client address has its own budget; without TRUST_PROXY the header is ignored', async () => {
  const from = (server: TestServer, forwardedFor: string) => postQuery(server, { 'x-forwarded-for': forwardedFor }).then((r) => r.status);
  expect(await from(proxied, '203.0.113.1')).toBe(200);
  expect(await from(proxied, '203.0.113.1')).toBe(200);
  expect(await from(proxied, '203.0.113.1')).toBe(429);
  expect(await from(proxied, '203.0.113.2')).toBe(200);
  // What a client writes in the header itself comes first; the proxy appends the address it saw, and that one counts.
  expect(await from(proxied, '198.51.100.9, 203.0.113.1')).toBe(429);
  // Not behind a trusted proxy: a forged header does not buy a fresh budget.
  expect(await from(direct, '203.0.113.1')).toBe(200);
  expect(await from(direct, '203.0.113.2')).toBe(200);
  expect(await from(direct, '203.0.113.3')).toBe(429);
});

test('while the database is away, a listed origin gets its 503 with Retry-After and its origin, compressed or not', async () => {
  const database = await createTestDatabase();
  const relay = await startDatabaseProxy(database.url);
  const server = await startTestServer(
    { CORS_ORIGINS: DASHBOARD, DATABASE_CONNECT_TIMEOUT_MS: '1000', STATEMENT_TIMEOUT_MS: '1000', DATABASE_QUERY_TIMEOUT_MS: '2000' },
    relay.url,
  );
  try {
    await relay.cut();
    for (const encoding of ['identity', 'gzip, br']) {
      const answer = await postQuery(server, { origin: DASHBOARD, 'accept-encoding': encoding });
      expect(answer.status).toBe(503);
      expect(answer.headers['retry-after']).toBe('2');
      expect(answer.headers['access-control-allow-origin']).toBe(DASHBOARD);
      expect(json(answer).errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
    }
  } finally {
    await relay.restore();
    await server.close();
    await relay.close();
    await database.drop();
  }
});
