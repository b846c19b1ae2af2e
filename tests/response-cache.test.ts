import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { Marking } from '../src/common/marking';
import { UNVERSIONED_TABLES } from '../src/db/migrations/1796470000000-TrackDataVersion';
import { fixtureId } from '../src/modules/fixture/fixture.ids';
import { createKey } from '../src/modules/identity/api-key.service';
import { Role } from '../src/modules/identity/role';
import { fromGlobalId, toGlobalId } from '../src/read/global-id';
import { freePort } from './support/free-port';
import { startService } from './support/service-process';
import { startTestServer, type TestServer } from './support/server';

// The exact response cache: a repeated query is answered from it, and any committed write, on any instance and by
// any path, makes the next answer fresh. Answers are never shared between readers of different access.

interface Answer {
  status: number;
  cache: string | null;
  contentType: string | null;
  text: string;
  body: { data?: any; errors?: Array<{ extensions?: { code?: string } }> };
}

async function ask(url: string, key: string | null, query: string, variables?: Record<string, unknown>): Promise<Answer> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  return { status: res.status, cache: res.headers.get('dossier-cache'), contentType: res.headers.get('content-type'), text, body: JSON.parse(text) };
}

const data = (answer: Answer) => {
  if (answer.body.errors) throw new Error(`unexpected errors: ${answer.text}`);
  return answer.body.data;
};

const TOPIC = 'dprk-troops-in-russia';
const article = toGlobalId('Source', fixtureId('source', 'article'));
const LIST = `query Judgments { topics(first: 100) { totalCount } implications(first: 100, includeRetracted: true) { totalCount edges { node { id statement likelihood marking audience retractedAt } } } }`;
const BRIEF = readFileSync(join(__dirname, '..', 'fixtures', 'operations', 'dprk-brief.graphql'), 'utf8');
const COMPOSED = `query Composed { brief(input: { topics: ["${TOPIC}"], sections: [IMPLICATIONS], limitPerSection: 100 }) { markdown } }`;
const CREATE = `mutation($input: ImplicationInput!) { createImplication(input: $input) { id } }`;
const judgment = (statement: string, extra: Record<string, unknown> = {}) => ({
  topic: TOPIC,
  statement,
  likelihood: 'UNLIKELY',
  confidence: 'LOW',
  scope: 'CONFLICT',
  horizon: 'SHORT_TERM',
  affectedActors: [toGlobalId('Actor', fixtureId('actor', 'korean-peoples-army'))],
  citations: [{ source: article, verb: 'SPECULATES', quote: 'DPRK forces are being readied for combat roles', credibility: 4 }],
  ...extra,
});

const statements = (answer: Answer): string[] => data(answer).implications.edges.map((e: { node: { statement: string } }) => e.node.statement);

async function metric(url: string, series: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.split(' ').pop()) : 0;
}

const cacheHits = (url: string) => metric(url, 'dossier_cache_lookups_total{cache="response",result="hit"}');

let server: TestServer;
const keys: Record<string, string> = {};

beforeAll(async () => {
  server = await startTestServer();
  const make = async (name: string, role: Role, clearance: Marking) =>
    (keys[name] = (await createKey(server.dataSource.manager, { name, role, clearance, organisation: 'org-c' })).key);
  await make('admin', Role.ADMIN, Marking.RED);
  await make('red-reader', Role.VIEWER, Marking.RED);
  await make('red-outsider', Role.VIEWER, Marking.RED);
  await make('green-reader', Role.VIEWER, Marking.GREEN);
  await make('doomed', Role.VIEWER, Marking.GREEN);
});
afterAll(() => server.close());

test('a repeated query, plain or the composed brief, is answered from the cache byte for byte, and counted in /metrics', async () => {
  for (const query of [BRIEF, COMPOSED]) {
    const first = await ask(server.url, keys.admin, query);
    expect(first.status).toBe(200);
    expect(first.cache).toBe('miss');
    const hitsBefore = await cacheHits(server.url);
    const second = await ask(server.url, keys.admin, query);
    expect({ status: second.status, cache: second.cache, contentType: second.contentType }).toEqual({
      status: 200,
      cache: 'hit',
      contentType: first.contentType,
    });
    expect(second.text).toBe(first.text);
    expect(await cacheHits(server.url)).toBe(hitsBefore + 1);
  }
  // Spacing and comments do not matter: the document is keyed as printed.
  expect((await ask(server.url, keys.admin, `# the same\n${COMPOSED.replace(/ /g, '  ')}`)).cache).toBe('hit');
  // Other variables are another entry.
  const node = `query($id: ID!) { node(id: $id) { id } }`;
  const actor = toGlobalId('Actor', fixtureId('actor', 'korean-peoples-army'));
  expect((await ask(server.url, keys.admin, node, { id: actor })).cache).toBe('miss');
  expect((await ask(server.url, keys.admin, node, { id: toGlobalId('Source', fixtureId('source', 'article')) })).cache).toBe('miss');
  expect((await ask(server.url, keys.admin, node, { id: actor })).cache).toBe('hit');
});

test('a persisted query sent by its hash alone is answered from the cache, and counts as found by its hash', async () => {
  const query = 'query Hashed { topics { totalCount } }';
  const extensions = { persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') } };
  const send = async (body: object) => {
    const res = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { cache: res.headers.get('dossier-cache'), text: await res.text() };
  };
  const first = await send({ query, extensions });
  expect(first.cache).toBe('miss');
  const apqHits = async () => metric(server.url, 'dossier_cache_lookups_total{cache="apq",result="hit"}');
  const before = await apqHits();
  const hashed = await send({ extensions });
  expect(hashed).toEqual({ cache: 'hit', text: first.text });
  expect(await apqHits()).toBe(before + 1);
  // The duration metric names the operation answered from the cache.
  expect(await metric(server.url, 'dossier_http_request_duration_seconds_count{operation="Hashed",type="query",status="2xx"}')).toBe(2);
});

test('mutations, answers with errors and anonymous readers of a refused key are never answered from the cache', async () => {
  const missing = `query { actor(id: "${toGlobalId('Actor', '00000000-0000-4000-8000-000000000000')}") { name } }`;
  for (let i = 0; i < 2; i += 1) {
    const answer = await ask(server.url, keys.admin, missing);
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(answer.cache).toBe('miss');
  }
  for (let i = 0; i < 2; i += 1) {
    const created = await ask(server.url, keys.admin, CREATE, { input: judgment(`A judgment written twice (${i}).`) });
    expect(created.cache).toBeNull();
    expect(data(created).createImplication.id).toEqual(expect.any(String));
  }
  // A key revoked after its answer was cached is refused, not served from the cache.
  const { key, apiKey } = await createKey(server.dataSource.manager, { name: 'short-lived', role: Role.VIEWER, clearance: Marking.GREEN });
  await ask(server.url, key, LIST);
  expect((await ask(server.url, key, LIST)).cache).toBe('hit');
  await server.dataSource.query(`UPDATE api_key SET revoked_at = now() WHERE id = $1`, [apiKey.id]);
  expect((await ask(server.url, key, LIST)).status).toBe(401);
});

test('every kind of write makes the next answer fresh', async () => {
  const red = data(await ask(server.url, keys.admin, CREATE, { input: judgment('A judgment the cache must follow.') })).createImplication.id;
  const stored = async () => (await server.dataSource.query(`SELECT count(*)::int AS n FROM implication WHERE id = $1`, [fromGlobalId(red, 'id').id]))[0].n;
  const doomedKey = (await server.dataSource.query(`SELECT id FROM api_key WHERE name = 'doomed'`))[0].id;
  const KEYS = `query Keys { apiKeys { name revokedAt } }`;
  const writes: Array<[string, string, () => Promise<unknown>]> = [
    ['create', LIST, () => ask(server.url, keys.admin, CREATE, { input: judgment('Another judgment, just written.') })],
    ['update', LIST, async () => mutate(`mutation($id: ID!) { updateImplication(id: $id, input: { likelihood: LIKELY }) { id } }`, { id: red })],
    [
      're-mark',
      LIST,
      async () => mutate(`mutation($id: ID!) { updateImplication(id: $id, input: { marking: RED, audience: ["org-c/red-reader"] }) { id } }`, { id: red }),
    ],
    [
      'audience',
      LIST,
      async () =>
        mutate(
          `mutation($id: ID!) { updateImplication(id: $id, input: { audience: ["org-c/red-reader", "org-c/red-outsider"], releaseReason: "shared" }) { id } }`,
          { id: red },
        ),
    ],
    [
      'release',
      LIST,
      async () =>
        mutate(`mutation($id: ID!) { updateImplication(id: $id, input: { marking: GREEN, releaseReason: "cleared for partners" }) { id } }`, { id: red }),
    ],
    ['retract', LIST, async () => mutate(`mutation($id: ID!) { retractImplication(id: $id, reason: "overtaken") { id } }`, { id: red })],
    ['import', LIST, async () => mutate(`mutation($d: String!) { importData(format: DOSSIER, document: $d) { applied } }`, { d: JSON.stringify(IMPORTED) })],
    ['delete', LIST, async () => mutate(`mutation($id: ID!) { deleteImplication(id: $id) }`, { id: red })],
    ['key revocation', KEYS, async () => mutate(`mutation($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: toGlobalId('ApiKey', doomedKey) })],
    [
      'SQL from elsewhere',
      LIST,
      () => outside(server.databaseUrl, `UPDATE implication SET statement = statement || '.' WHERE statement = 'Another judgment, just written.'`),
    ],
  ];
  for (const [name, query, write] of writes) {
    const cached = await warm(server.url, keys.admin, query);
    await write();
    const after = await ask(server.url, keys.admin, query);
    expect({ name, cache: after.cache, changed: after.text !== cached.text }).toEqual({ name, cache: 'miss', changed: true });
  }
  expect(await stored()).toBe(0);

  async function mutate(mutation: string, variables: Record<string, unknown>) {
    const answer = await ask(server.url, keys.admin, mutation, variables);
    data(answer);
  }
});

test('readers of different access never share an answer, re-marked items included', async () => {
  const statement = 'A judgment for one reader only.';
  const id = data(await ask(server.url, keys.admin, CREATE, { input: judgment(statement, { marking: 'GREEN' }) })).createImplication.id;
  // Everyone cleared for GREEN reads it, each from an entry of their own.
  for (const reader of ['red-reader', 'green-reader', 'red-outsider']) {
    expect(statements(await ask(server.url, keys[reader], LIST))).toContain(statement);
    expect((await ask(server.url, keys[reader], LIST)).cache).toBe('hit');
  }
  expect(statements(await ask(server.url, null, LIST))).not.toContain(statement);
  const remark = await ask(
    server.url,
    keys.admin,
    `mutation($id: ID!) { updateImplication(id: $id, input: { marking: RED, audience: ["org-c/red-reader"] }) { id } }`,
    { id },
  );
  data(remark);
  // The RED reader in the audience caches it first; the others must not get that entry.
  expect(statements(await ask(server.url, keys['red-reader'], LIST))).toContain(statement);
  expect((await ask(server.url, keys['red-reader'], LIST)).cache).toBe('hit');
  for (const reader of ['green-reader', 'red-outsider']) {
    const answer = await ask(server.url, keys[reader], LIST);
    expect({ reader, cache: answer.cache }).toEqual({ reader, cache: 'miss' });
    expect(statements(answer)).not.toContain(statement);
    expect(statements(await ask(server.url, keys[reader], LIST))).not.toContain(statement);
  }
});

test('a write committed by another service process on the same database makes the next answer fresh', async () => {
  const port = await freePort();
  const other = startService({ SEED: 'false', SCHEDULER: 'false', PORT: String(port), DATABASE_URL: server.databaseUrl });
  try {
    await other.waitFor(/^Dossier ready/, 60_000);
    const cached = await warm(server.url, keys.admin, LIST);
    const statement = 'Written through the other instance.';
    data(await ask(`http://127.0.0.1:${port}`, keys.admin, CREATE, { input: judgment(statement) }));
    const after = await ask(server.url, keys.admin, LIST);
    expect(after.cache).toBe('miss');
    expect(statements(after)).toContain(statement);
    expect(statements(cached)).not.toContain(statement);
  } finally {
    await other.stop();
  }
}, 90_000);

test('a rate limit counts answers from the cache too', async () => {
  const limited = await startTestServer({ RATE_LIMIT_POINTS: '3' }, server.databaseUrl);
  try {
    const answers = [];
    for (let i = 0; i < 4; i += 1) answers.push(await ask(limited.url, limited.key, LIST));
    expect(answers.map((a) => [a.status, a.cache])).toEqual([
      [200, 'miss'],
      [200, 'hit'],
      [200, 'hit'],
      [429, null],
    ]);
  } finally {
    await limited.close();
  }
});

test('RESPONSE_CACHE_BYTES=0 turns the cache off', async () => {
  const off = await startTestServer({ RESPONSE_CACHE_BYTES: '0' }, server.databaseUrl);
  try {
    for (let i = 0; i < 2; i += 1) expect((await ask(off.url, off.key, LIST)).cache).toBeNull();
  } finally {
    await off.close();
  }
});

test('with Redis unreachable, every answer is still right and the cache of each process still works', async () => {
  const down = await startTestServer({ REDIS_URL: `redis://127.0.0.1:${await freePort()}` }, server.databaseUrl);
  try {
    const first = await ask(down.url, down.key, LIST);
    expect([first.status, first.cache]).toEqual([200, 'miss']);
    expect((await ask(down.url, down.key, LIST)).cache).toBe('hit');
    const statement = 'Written while Redis is away.';
    data(await ask(down.url, keys.admin, CREATE, { input: judgment(statement) }));
    const after = await ask(down.url, down.key, LIST);
    expect(after.cache).toBe('miss');
    expect(statements(after)).toContain(statement);
  } finally {
    await down.close();
  }
});

const redisUrl = process.env.TEST_REDIS_URL ?? (process.env.REDIS_AVAILABLE === 'false' ? undefined : 'redis://127.0.0.1:6379');
test('with REDIS_URL, two instances share the cache, and a write through either invalidates it for both', async () => {
  if (!(await redisAnswers(redisUrl))) return console.warn('no Redis at 127.0.0.1:6379: the shared cache is not tested');
  const env = { REDIS_URL: redisUrl!, RESPONSE_CACHE_PREFIX: `dossier-test-${process.pid}-${Date.now()}` };
  const a = await startTestServer(env, server.databaseUrl);
  const b = await startTestServer(env, server.databaseUrl);
  try {
    const first = await ask(a.url, keys['red-reader'], BRIEF);
    expect(first.cache).toBe('miss');
    await waitForHit(a.url, keys['red-reader'], BRIEF);
    await redisHolds(redisUrl!, env.RESPONSE_CACHE_PREFIX);
    // b has never answered it: the entry comes from Redis.
    const shared = await ask(b.url, keys['red-reader'], BRIEF);
    expect(shared.cache).toBe('hit');
    expect(shared.text).toBe(first.text);
    const statement = 'Written through the second instance.';
    data(await ask(b.url, keys.admin, CREATE, { input: judgment(statement) }));
    const after = await ask(a.url, keys['red-reader'], LIST);
    expect(after.cache).toBe('miss');
    expect(statements(after)).toContain(statement);
    // What a kept for the new version, b reads too.
    expect((await waitForHit(b.url, keys['red-reader'], LIST)).text).toBe(after.text);
  } finally {
    await b.close();
    await a.close();
  }
});

test('every table a read may look at notes its writers for the data version', async () => {
  const rows: Array<{ name: string; triggers: string[] }> = await server.dataSource.query(
    `SELECT c.relname AS name, array(SELECT t.tgname::text FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname LIKE 'note_data_%' ORDER BY 1) AS triggers
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY 1`,
  );
  const missing = rows.filter((r) => !UNVERSIONED_TABLES.includes(r.name) && r.triggers.join() !== 'note_data_truncate,note_data_write');
  expect(missing.map((r) => r.name)).toEqual([]);
  expect(rows.length).toBeGreaterThan(30);
  // A statement that changes no row leaves the version alone; one that changes a row moves it at its commit.
  const version = async () => (await server.dataSource.query(`SELECT data_version() AS v`))[0].v as string;
  const before = await version();
  await outside(server.databaseUrl, `UPDATE topic SET title = title WHERE false`);
  expect(await version()).toBe(before);
  await outside(server.databaseUrl, `BEGIN; UPDATE topic SET title = title || '!' WHERE slug = '${TOPIC}'; ROLLBACK`);
  expect(await version()).toBe(before);
  await outside(server.databaseUrl, `UPDATE topic SET title = title || '!' WHERE slug = '${TOPIC}'`);
  expect(await version()).not.toBe(before);
});

const IMPORTED = {
  topic: { key: 'cache-import', title: 'Imported while cached', summary: 'imported' },
  actors: [{ key: 'x', name: 'cache imported actor', kind: 'STATE' }],
  sources: [{ key: 's', name: 'cache imported source', kind: 'MEDIA_REPORT', reliability: 'A', publishedOn: '2024-03-05' }],
};

/** Asks until the answer comes from the cache (at most a few tries: the entry is kept once the answer is sent). */
async function warm(url: string, key: string, query: string): Promise<Answer> {
  return waitForHit(url, key, query);
}

async function waitForHit(url: string, key: string, query: string): Promise<Answer> {
  for (let i = 0; i < 50; i += 1) {
    const answer = await ask(url, key, query);
    if (answer.cache === 'hit') return answer;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('never answered from the cache');
}

async function outside(url: string, sql: string) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Waits until Redis holds an entry under `prefix` (a's answer, kept once sent). */
async function redisHolds(url: string, prefix: string) {
  const { Redis } = await import('ioredis');
  const redis = new Redis(url);
  try {
    for (let i = 0; i < 100 && (await redis.keys(`${prefix}:*`)).length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
  } finally {
    redis.disconnect();
  }
}

async function redisAnswers(url: string | undefined): Promise<boolean> {
  if (!url) return false;
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 500, enableOfflineQueue: false });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}
