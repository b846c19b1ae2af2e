import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { Marking } from '../src/common/marking';
import { TLP2_MARKING_IDS } from '../src/modules/stix/stix-markings';
import { dataOf, startTestServer, type TestServer } from './support/server';

// stixBundle over HTTP: the bundle is written into the body in pieces where its placeholder is (server/large-answers).
// The answer must be the bytes it always was, JSON.stringify of the result, whatever the bundle holds, through every
// path (cache, compression, errors, GET), and no placeholder ever reaches a client.
jest.setTimeout(120_000);

const SCOPE = { topics: ['stix-escapes'] };
const EXPORT = `query Export($scope: ScopeInput!) { stixBundle(scope: $scope) { id objectCount json } }`;
const IMPORT = `mutation($document: String!) { importData(format: STIX_BUNDLE, document: $document, name: "escapes") { applied problems { path message } } }`;
/** What no answer may hold: the start of a placeholder, as JSON writes it and as text. */
const PLACEHOLDER = ['\\u0000large:', '\u0000large:'];

/** Text that JSON escapes every way it can: quotes, backslashes, control characters, and what it leaves raw. */
const HOSTILE = 'quote " backslash \\ slash / newline \n tab \t cr \r ctl \u0001\u001f\u007f sep \u2028\u2029 bmp é€ astral 😀𝄞 end';

/** The cache off: every answer with a bundle is written in pieces (nothing may keep it). */
let pieces: TestServer;
/** The default cache: a small bundle is joined for it and kept whole. */
let cached: TestServer;
/** A cache whose largest entry is smaller than the bundle: written in pieces, never kept. */
let tiny: TestServer;

beforeAll(async () => {
  pieces = await startTestServer({ RESPONSE_CACHE_BYTES: '0' });
  cached = await startTestServer({}, pieces.databaseUrl);
  tiny = await startTestServer({ RESPONSE_CACHE_BYTES: '4096' }, pieces.databaseUrl);
  const stamp = '2024-05-01T00:00:00.000Z';
  const common = (type: string, n: number) => ({
    type,
    spec_version: '2.1',
    id: `${type}--0b1e4a8c-5a2d-4c4e-9f1a-${String(n).padStart(12, '0')}`,
    created: stamp,
    modified: stamp,
    object_marking_refs: [TLP2_MARKING_IDS[Marking.GREEN]],
  });
  const actors = [1, 2].map((n) => ({ ...common('threat-actor', n), name: `Actor ${n} ${HOSTILE}`, threat_actor_types: ['crime-syndicate'] }));
  // Enough objects that the escaped bundle is many chunks long.
  const relationships = Array.from({ length: 600 }, (_, i) => ({
    ...common('relationship', i),
    relationship_type: 'related-to',
    source_ref: actors[0].id,
    target_ref: actors[1].id,
    description: `Relationship ${i}: ${HOSTILE}`,
  }));
  const report = {
    ...common('report', 0),
    name: `Report ${HOSTILE}`,
    report_types: ['threat-report'],
    published: stamp,
    object_refs: relationships.map((r) => r.id),
  };
  const document = JSON.stringify({ type: 'bundle', id: 'bundle--0b1e4a8c-5a2d-4c4e-9f1a-000000000000', objects: [...actors, report, ...relationships] });
  const imported = dataOf(await pieces.gql(IMPORT, { document })).importData;
  expect(imported).toEqual({ applied: true, problems: [] });
});
afterAll(async () => {
  await tiny?.close();
  await cached?.close();
  await pieces?.close();
});

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** The response as sent, bytes not decoded. */
const send = (server: TestServer, method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = {}) =>
  new Promise<Raw>((resolve, reject) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      `${server.url}${path}`,
      {
        method,
        headers: { authorization: `Bearer ${server.key}`, ...(text ? { 'content-type': 'application/json' } : {}), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(text);
  });

const post = (server: TestServer, body: unknown, headers: Record<string, string> = {}) => send(server, 'POST', '/graphql', body, headers);
const exported = (server: TestServer, headers: Record<string, string> = {}) => post(server, { query: EXPORT, variables: { scope: SCOPE } }, headers);

/** The bundle as GET /stix/bundle streams it: stixBundle's json, byte for byte. */
let streamedBundle: string | undefined;
async function streamed(): Promise<string> {
  if (streamedBundle) return streamedBundle;
  const raw = await send(pieces, 'GET', '/stix/bundle?topic=stix-escapes', undefined, { 'accept-encoding': 'identity' });
  expect(raw.status).toBe(200);
  return (streamedBundle = raw.body.toString('utf8'));
}

/** The body stixBundle always answered: graphql-js's result as JSON.stringify writes it, and Apollo's newline. */
async function expectedBody(): Promise<string> {
  const json = await streamed();
  const { id, objects } = JSON.parse(json) as { id: string; objects: unknown[] };
  return `${JSON.stringify({ data: { stixBundle: { id, objectCount: objects.length, json } } })}\n`;
}

const expectNoPlaceholder = (text: string) => {
  for (const p of PLACEHOLDER) expect(text).not.toContain(p);
};

test('the bundle holds every character JSON escapes, and more than one chunk of them', async () => {
  const json = await streamed();
  for (const c of ['\\"', '\\\\', '\\n', '\\t', '\\r', '\\u0001', '\\u001f', '\u007f', '\u2028', '\u2029', 'é€', '😀𝄞']) expect(json).toContain(c);
  expect(json.length).toBeGreaterThan(4 * 64 * 1024);
});

test.each([
  ['the cache off', () => pieces],
  ['an entry smaller than the answer', () => tiny],
  ['the default cache', () => cached],
])('with %s, stixBundle answers JSON.stringify of its result, byte for byte, with its length', async (_what, server) => {
  const expected = await expectedBody();
  const raw = await exported(server(), { 'accept-encoding': 'identity' });
  expect(raw.status).toBe(200);
  expect(raw.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(raw.headers['content-encoding']).toBeUndefined();
  expect(raw.headers['transfer-encoding']).toBeUndefined();
  expect(raw.headers['content-length']).toBe(String(raw.body.length));
  expect(raw.body.toString('utf8')).toBe(expected);
  expect(dataOf({ status: raw.status, body: JSON.parse(raw.body.toString('utf8')) }).stixBundle.json).toBe(await streamed());
});

test('an answer the cache may keep is kept whole: the hit is the same bytes', async () => {
  const expected = await expectedBody();
  // Its own operation, so that no earlier test's entry answers it.
  const kept = { query: EXPORT.replace('query Export', 'query Kept'), variables: { scope: SCOPE } };
  const first = await post(cached, kept);
  const again = await post(cached, kept);
  expect([first.headers['dossier-cache'], again.headers['dossier-cache']]).toEqual(['miss', 'hit']);
  expect([first.body.toString('utf8'), again.body.toString('utf8')]).toEqual([expected, expected]);
  expect(again.headers['content-length']).toBe(String(again.body.length));
});

test('an answer larger than the cache keeps is never kept: a miss each time, the full text each time', async () => {
  const expected = await expectedBody();
  for (const server of [tiny, pieces]) {
    const first = await exported(server);
    const again = await exported(server);
    if (server === tiny) expect([first.headers['dossier-cache'], again.headers['dossier-cache']]).toEqual(['miss', 'miss']);
    expect([first.body.toString('utf8'), again.body.toString('utf8')]).toEqual([expected, expected]);
  }
});

test.each([
  ['gzip', gunzipSync],
  ['br', brotliDecompressSync],
])('compressed with %s, the same bytes once decoded', async (encoding, decode) => {
  const expected = await expectedBody();
  for (const server of [pieces, tiny]) {
    const raw = await exported(server, { 'accept-encoding': encoding });
    expect([raw.status, raw.headers['content-encoding']]).toEqual([200, encoding]);
    expect(decode(raw.body).toString('utf8')).toBe(expected);
  }
});

test('two bundles in one answer, and other fields around them, each in its place', async () => {
  const json = await streamed();
  const query = `query($scope: ScopeInput!) { __typename a: stixBundle(scope: $scope) { json objectCount } b: stixBundle(scope: $scope) { id json } }`;
  const raw = await post(pieces, { query, variables: { scope: SCOPE } }, { 'accept-encoding': 'identity' });
  const { id, objects } = JSON.parse(json) as { id: string; objects: unknown[] };
  const expected = `${JSON.stringify({ data: { __typename: 'Query', a: { json, objectCount: objects.length }, b: { id, json } } })}\n`;
  expect(raw.body.toString('utf8')).toBe(expected);
  expect(raw.headers['content-length']).toBe(String(raw.body.length));
});

test('a GET query answers the same bytes', async () => {
  const expected = await expectedBody();
  const search = new URLSearchParams({ query: EXPORT, variables: JSON.stringify({ scope: SCOPE }) });
  const raw = await send(pieces, 'GET', `/graphql?${search}`, undefined, { 'apollo-require-preflight': 'true', 'accept-encoding': 'identity' });
  expect(raw.status).toBe(200);
  expect(raw.body.toString('utf8')).toBe(expected);
});

test('an error beside a bundle: null data and the error, no placeholder', async () => {
  const query = `query($scope: ScopeInput!) { ok: stixBundle(scope: $scope) { json } missing: stixBundle(scope: { topics: ["no-such-topic"] }) { json } }`;
  for (const server of [pieces, cached]) {
    const raw = await post(server, { query, variables: { scope: SCOPE } });
    const text = raw.body.toString('utf8');
    expectNoPlaceholder(text);
    const body = JSON.parse(text) as { data: unknown; errors: Array<{ path: string[]; extensions: { code: string } }> };
    expect(body.data).toBeNull();
    expect(body.errors.map((e) => [e.path, e.extensions.code])).toEqual([[['missing'], expect.any(String)]]);
  }
});

test('bad input: BAD_USER_INPUT, no placeholder', async () => {
  const raw = await post(pieces, { query: EXPORT, variables: { scope: { minCredibility: 9 } } });
  const text = raw.body.toString('utf8');
  expectNoPlaceholder(text);
  expect((JSON.parse(text) as { errors: Array<{ extensions: { code: string } }> }).errors[0].extensions.code).toBe('BAD_USER_INPUT');
});

test('a batch of operations is refused as before, without running the export', async () => {
  const raw = await post(pieces, [{ query: EXPORT, variables: { scope: SCOPE } }, { query: '{ __typename }' }]);
  expect(raw.status).toBe(400);
  expectNoPlaceholder(raw.body.toString('utf8'));
});

test('over WebSocket stixBundle runs nowhere: refused, no placeholder, the connection left usable', async () => {
  const messages: string[] = [];
  const client = createClient({
    url: `${pieces.url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: class extends WebSocket {
      constructor(url: string, protocols: string[]) {
        super(url, protocols);
        this.on('message', (data: Buffer) => messages.push(data.toString('utf8')));
      }
    },
    connectionParams: { authorization: `Bearer ${pieces.key}` },
    retryAttempts: 0,
  });
  try {
    const outcome = await new Promise<unknown>((resolve) => {
      const events: unknown[] = [];
      client.subscribe(
        { query: EXPORT, variables: { scope: SCOPE } },
        { next: (e) => events.push(e), error: (e) => resolve({ error: e, events }), complete: () => resolve({ events }) },
      );
    });
    expect(outcome).toEqual({ error: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_REQUEST' }) })], events: [] });
    expect(messages.length).toBeGreaterThan(0);
    for (const m of messages) expectNoPlaceholder(m);
  } finally {
    await client.dispose();
  }
});

test('beside a root field the fast path compiles, the normal path answers both, the bundle in its place', async () => {
  const json = await streamed();
  const topic = `{ topic(slug: "dprk-troops-in-russia") { title } }`;
  const alone = await post(pieces, { query: topic });
  expect(alone.headers['dossier-path']).toBe('compiled');
  const query = `query($scope: ScopeInput!) { stixBundle(scope: $scope) { json } topic(slug: "dprk-troops-in-russia") { title } }`;
  const raw = await post(pieces, { query, variables: { scope: SCOPE } }, { 'accept-encoding': 'identity' });
  expect(raw.headers['dossier-path']).toBeUndefined();
  const { data } = JSON.parse(alone.body.toString('utf8')) as { data: { topic: unknown } };
  expect(raw.body.toString('utf8')).toBe(`${JSON.stringify({ data: { stixBundle: { json }, topic: data.topic } })}\n`);
});

test('a client that hangs up mid-answer costs nothing: the next answer is whole', async () => {
  await new Promise<void>((resolve, reject) => {
    const req = request(
      `${pieces.url}/graphql`,
      { method: 'POST', headers: { authorization: `Bearer ${pieces.key}`, 'content-type': 'application/json' } },
      (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
        res.on('error', () => undefined);
      },
    );
    req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
    req.end(JSON.stringify({ query: EXPORT, variables: { scope: SCOPE } }));
  });
  const raw = await exported(pieces, { 'accept-encoding': 'identity' });
  expect(raw.body.toString('utf8')).toBe(await expectedBody());
});
