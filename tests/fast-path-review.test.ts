import { gzipSync, gunzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { Client } from 'pg';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Marking } from '../src/common/marking';
import { createKey } from '../src/modules/identity/api-key.service';
import { Role } from '../src/modules/identity/role';
import { toGlobalId } from '../src/read/global-id';
import { dataOf, startTestServer, type TestServer } from './support/server';
import { createTestDatabase } from './support/test-database';
import { withoutStacks } from './support/answers';

// The compiled fast path probed as a client would: two services on one database, one with FAST_PATH=off, sent the same
// requests as the same readers. Access (marked, organisation, audience, retracted items), bodies byte for byte in odd
// data and odd requests, and what a failing root field costs the database.

let normal: TestServer;
let compiled: TestServer;
const readers: Array<{ name: string; key: string | null }> = [];
let redPrincipal: string;

interface Answer {
  status: number;
  path: string | null;
  type: string | null;
  body: string;
  ms: number;
}

async function post(
  server: TestServer,
  key: string | null,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const started = performance.now();
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(20_000),
  });
  const body = await res.text();
  return { status: res.status, path: res.headers.get('dossier-path'), type: res.headers.get('content-type'), body, ms: performance.now() - started };
}

/** Both services' answers to one request; their status, content type and body must be the same. */
async function bothWays(key: string | null, query: string, variables?: Record<string, unknown>, headers?: Record<string, string>) {
  const slow = await post(normal, key, query, variables, headers);
  const fast = await post(compiled, key, query, variables, headers);
  expect(slow.path).toBeNull();
  expect({ query, status: fast.status, type: fast.type, body: withoutStacks(fast.body) }).toEqual({
    query,
    status: slow.status,
    type: slow.type,
    body: withoutStacks(slow.body),
  });
  return { fast, slow };
}

/** The statements `server` sends while `work` runs. */
async function statementsOf(server: TestServer, work: () => Promise<unknown>): Promise<string[]> {
  const sent: string[] = [];
  const original = server.dataSource.query.bind(server.dataSource);
  const spy = jest.spyOn(server.dataSource, 'query').mockImplementation((text, params, runner) => {
    sent.push(text);
    return original(text, params, runner);
  });
  try {
    await work();
  } finally {
    spy.mockRestore();
  }
  return sent;
}

const ids: Record<string, string> = {};
const HIDDEN = 'zz-hidden-marker';

beforeAll(async () => {
  const env = { RESPONSE_CACHE_BYTES: '0', STATEMENT_TIMEOUT_MS: '1000', VIEWER_CLEARANCE: 'RED' };
  normal = await startTestServer({ ...env, FAST_PATH: 'off' });
  compiled = await startTestServer(env, normal.databaseUrl);
  const em = normal.dataSource.manager;
  const key = async (name: string, clearance: Marking, organisation?: string) => {
    const made = await createKey(em, { name: `${name}-${process.pid}`, role: Role.VIEWER, clearance, organisation });
    readers.push({ name, key: made.key });
    return made.apiKey.principal;
  };
  readers.push({ name: 'anonymous', key: null });
  await key('clear', Marking.CLEAR);
  await key('green', Marking.GREEN);
  await key('amber', Marking.AMBER, 'org-b');
  await key('strict-a', Marking.AMBER_STRICT, 'org-a');
  await key('strict-b', Marking.AMBER_STRICT, 'org-b');
  redPrincipal = await key('red-a', Marking.RED, 'org-a');
  await key('red-b', Marking.RED, 'org-a');

  const q = (text: string, params: unknown[] = []) => normal.dataSource.query(text, params);
  const actor = async (name: string, marking: string, extra = '') => {
    const [row] = await q(
      `INSERT INTO actor (id, name, kind, marking${extra ? ', organisation, audience' : ''})
      VALUES (gen_random_uuid(), $1, 'STATE', $2${extra}) RETURNING id`,
      [name, marking],
    );
    return row.id as string;
  };
  ids.clearActor = await actor('zz-clear actor "q" \\ \u2028 😀', 'CLEAR');
  ids.redActor = await actor(`${HIDDEN} red actor`, 'RED', `, NULL, ARRAY['${redPrincipal}']`);
  ids.strictActor = await actor(`${HIDDEN} strict actor`, 'AMBER_STRICT', `, 'org-a', '{}'`);
  ids.amberActor = await actor(`${HIDDEN} amber actor`, 'AMBER');
  ids.retractedActor = await actor('zz-retracted actor', 'CLEAR');
  await q(`UPDATE actor SET retracted_at = '2026-01-02 03:04:05.678901+00', retraction_reason = 'wrong' WHERE id = $1`, [ids.retractedActor]);
  // Timestamps graphql-scalars prints with milliseconds, far years, and one it cannot print.
  await q(`UPDATE actor SET created_at = '0050-06-07 08:09:10.999999+00', updated_at = '9999-12-30 23:59:59.9999+00' WHERE id = $1`, [ids.clearActor]);
  const [topic] = await q(`SELECT id FROM topic WHERE slug = 'dprk-troops-in-russia'`);
  for (const id of [ids.clearActor, ids.redActor, ids.strictActor, ids.amberActor, ids.retractedActor]) {
    await q(`INSERT INTO topic_actor (topic_id, actor_id) VALUES ($1, $2)`, [topic.id, id]);
  }
  // Relations from a CLEAR actor to hidden ones.
  for (const to of [ids.redActor, ids.strictActor, ids.amberActor]) {
    await q(
      `INSERT INTO actor_relation (id, topic_id, from_actor_id, to_actor_id, type, marking)
      VALUES (gen_random_uuid(), $1, $2, $3, 'ALLIED_WITH', 'CLEAR')`,
      [topic.id, ids.clearActor, to],
    );
  }
  // A CLEAR capability of the CLEAR actor, cited from a hidden source and from a visible one.
  const [capability] = await q(
    `INSERT INTO capability (id, topic_id, actor_id, category, statement, marking)
    VALUES (gen_random_uuid(), $1, $2, 'TACTICS', 'zz-capability', 'CLEAR') RETURNING id`,
    [topic.id, ids.clearActor],
  );
  ids.capability = capability.id;
  const [hiddenSource] = await q(`INSERT INTO source (id, name, kind, reliability, marking, organisation)
    VALUES (gen_random_uuid(), '${HIDDEN} source', 'MEDIA_REPORT', 'B', 'AMBER_STRICT', 'org-a') RETURNING id`);
  ids.hiddenSource = hiddenSource.id;
  const [visibleSource] = await q(`SELECT id FROM source WHERE marking = 'CLEAR' ORDER BY name LIMIT 1`);
  await q(
    `INSERT INTO citation (id, source_id, verb, quote, credibility, capability_id, marking)
    VALUES (gen_random_uuid(), $1, 'STATES', '${HIDDEN} quote', 2, $3, 'CLEAR'), (gen_random_uuid(), $2, 'STATES', 'zz-visible quote', 2, $3, 'CLEAR')`,
    [ids.hiddenSource, visibleSource.id, ids.capability],
  );
  // Quantities whose floats JavaScript and PostgreSQL print differently, or the same.
  const floats = [1e-7, 1e21, 123456789012345.6, 0.1 + 0.2, -0, 5e-324, 1.7976931348623157e308, 0.0001];
  for (const [i, best] of floats.entries()) {
    await q(
      `INSERT INTO implication (id, topic_id, statement, likelihood, marking, quantity_best, quantity_unit, quantity_exact)
      VALUES (gen_random_uuid(), $1, $2, 'LIKELY', 'CLEAR', $3, 'troops', false)`,
      [topic.id, `zz-float ${i}`, best],
    );
  }
  // An event of the last year a LocalDate can hold.
  await q(
    `INSERT INTO event (id, topic_id, title, occurred_on, precision, marking) VALUES (gen_random_uuid(), $1, 'zz-far event', '9999-01-01', 'YEAR', 'CLEAR')`,
    [topic.id],
  );
}, 120_000);
afterAll(async () => {
  await compiled?.close();
  await normal?.close();
});

const gid = (type: string, id: string) => toGlobalId(type, id);

test('marked, organisation, audience and retracted items: the same body both ways, and nothing hidden shown', async () => {
  const queries: Array<[string, Record<string, unknown>?]> = [
    [
      `{ actors(first: 100, includeRetracted: true, orderBy: { field: NAME, direction: DESC }) { totalCount totalCountCapped { count exact }
        nodes { id name marking organisation audience retractedAt retractionReason } pageInfo { hasNextPage endCursor } } }`,
    ],
    [
      `query($id: ID!) { actor(id: $id) { name createdAt updatedAt relations(first: 10) { totalCount edges { cursor node { from { name } to { name } } } } } }`,
      { id: gid('Actor', ids.clearActor) },
    ],
    [
      `query($id: ID!) { node(id: $id) { __typename ... on Capability { statement sourceCount citations { quote source { name } } } } }`,
      { id: gid('Capability', ids.capability) },
    ],
    [`{ topic(slug: "dprk-troops-in-russia") { actors(first: 100) { totalCount nodes { name } } sources(first: 100) { totalCount nodes { name } } } }`],
    // One hidden item a query: with several NOT_FOUND root fields, graphql-js reports whichever failed first.
    [`query($a: ID!) { a: node(id: $a) { id } }`, { a: gid('Actor', ids.redActor) }],
    [`query($b: ID!) { b: node(id: $b) { id ... on Actor { name } } }`, { b: gid('Actor', ids.strictActor) }],
    [`query($c: ID!) { c: actor(id: $c) { name } }`, { c: gid('Actor', ids.amberActor) }],
    [`query($c: ID!) { c: actor(id: $c) { name } a: actors(first: 1) { totalCount } }`, { c: gid('Actor', ids.amberActor) }],
    [`{ statements(first: 50, includeRetracted: true) { totalCount nodes { __typename ... on Capability { statement citations { quote } } } } }`],
    [`query($id: ID!) { source(id: $id) { name citations(first: 5) { totalCount } } }`, { id: gid('Source', ids.hiddenSource) }],
    [`{ relations(first: 100) { totalCount nodes { from { name } to { name } } } }`],
  ];
  // What each reader is cleared for, of the hidden items (their names end in these words).
  const strictA = ['amber actor', 'strict actor', 'source', 'quote'];
  const cleared: Record<string, string[]> = {
    anonymous: [],
    clear: [],
    green: [],
    amber: ['amber actor'],
    'strict-a': strictA,
    'strict-b': ['amber actor'],
    'red-a': [...strictA, 'red actor'],
    'red-b': strictA,
  };
  for (const [query, variables] of queries) {
    for (const reader of readers) {
      const { fast } = await bothWays(reader.key, query, variables);
      const shown = [...fast.body.matchAll(new RegExp(`${HIDDEN} ([a-z ]+?)"`, 'g'))].map((m) => m[1]);
      expect({ reader: reader.name, query, notCleared: shown.filter((s) => !cleared[reader.name].includes(s)) }).toEqual({
        reader: reader.name,
        query,
        notCleared: [],
      });
    }
  }
});

test('odd values: floats, far years, microseconds, the last LocalDate year, hostile strings: the same body both ways', async () => {
  const key = readers[readers.length - 1].key;
  const paths: Record<string, string | null> = {};
  const implications = await normal.dataSource.query<Array<{ id: string; statement: string }>>(
    `SELECT id, statement FROM implication WHERE statement LIKE 'zz-float %' ORDER BY statement`,
  );
  for (const { id, statement } of implications) {
    const query = `query($id: ID!) { node(id: $id) { ... on Implication { statement quantity { best low high unit exact __typename } } } }`;
    paths[statement] = (await bothWays(key, query, { id: gid('Implication', id) })).fast.path;
  }
  const queries = [
    `{ events(first: 50, orderBy: { field: OCCURRED_ON, direction: DESC }) { nodes { title occurredOn occurredFrom occurredTo } } }`,
    `query($id: ID!) { actor(id: $id) { name createdAt updatedAt t: __typename } }`,
  ];
  for (const query of queries) paths[query] = (await bothWays(key, query, { id: gid('Actor', ids.clearActor) })).fast.path;
  // Printed exactly where PostgreSQL and JavaScript agree (0.1 + 0.2, -0, 0.0001, 123456789012345.6), the normal path elsewhere.
  expect(paths).toEqual({
    'zz-float 0': null,
    'zz-float 1': null,
    'zz-float 2': 'compiled',
    'zz-float 3': 'compiled',
    'zz-float 4': 'compiled',
    'zz-float 5': null,
    'zz-float 6': null,
    'zz-float 7': 'compiled',
    [queries[0]]: 'compiled',
    [queries[1]]: 'compiled',
  });
});

test('request variants: aliases merged, @include/@skip with variables, GET, graphql-response+json, gzip, persisted queries', async () => {
  const key = readers.find((r) => r.name === 'red-a')!.key;
  const query = `query Q($yes: Boolean!, $no: Boolean!, $id: ID!) {
    x: actor(id: $id) { name n2: name ... on Actor { name @include(if: $yes) aliases @skip(if: $yes) } ...F }
    x: actor(id: $id) { marking @include(if: $no) }
    t: __typename @skip(if: $no)
    e: actors(first: 0) { nodes { id } edges { cursor } totalCount }
  }
  fragment F on Node { id __typename ... on Item { marking } }`;
  const variables = { yes: true, no: false, id: gid('Actor', ids.clearActor) };
  expect((await bothWays(key, query, variables)).fast.path).toBe('compiled');
  expect((await bothWays(key, query, variables, { accept: 'application/graphql-response+json' })).fast.path).toBe('compiled');

  // GET, with the preflight header CSRF prevention asks for.
  const get = async (server: TestServer) => {
    const url = new URL(`${server.url}/graphql`);
    url.searchParams.set('query', query);
    url.searchParams.set('variables', JSON.stringify(variables));
    const res = await fetch(url, { headers: { authorization: `Bearer ${key}`, 'apollo-require-preflight': 'true' } });
    return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
  };
  expect(await get(compiled)).toEqual(await get(normal));

  // gzip: the decompressed body is the same, and its length what was sent.
  const big = `{ actors(first: 100) { nodes { id name description aliases } } }`;
  const zipped = async (server: TestServer) => {
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, 'accept-encoding': 'gzip' },
      body: JSON.stringify({ query: big }),
    });
    const bytes = Buffer.from(await res.arrayBuffer());
    return { encoding: res.headers.get('content-encoding'), path: res.headers.get('dossier-path'), bytes };
  };
  const [slow, fast] = [await zipped(normal), await zipped(compiled)];
  expect(fast.path).toBe('compiled');
  // fetch decodes gzip itself; either way the bodies must agree.
  const text = (z: typeof slow) => (z.bytes[0] === 0x1f && z.bytes[1] === 0x8b ? gunzipSync(z.bytes) : z.bytes).toString();
  expect(text(fast)).toBe(text(slow));
  expect(gzipSync(Buffer.from('x')).length).toBeGreaterThan(0);

  // Automatic persisted queries: the hash alone, after the text was registered.
  const hash = createHash('sha256').update(big).digest('hex');
  const apq = async (server: TestServer, withQuery: boolean) => {
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ ...(withQuery ? { query: big } : {}), extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }),
    });
    return { status: res.status, path: res.headers.get('dossier-path'), body: await res.text() };
  };
  expect((await apq(compiled, false)).body).toBe((await apq(normal, false)).body);
  await apq(normal, true);
  await apq(compiled, true);
  const [byHashSlow, byHashFast] = [await apq(normal, false), await apq(compiled, false)];
  expect(byHashFast).toEqual({ ...byHashSlow, path: 'compiled' });
});

test('a root field that is NOT_FOUND sends its statement once, as the normal path does', async () => {
  const key = readers.find((r) => r.name === 'green')!.key;
  for (const query of ['{ topic(slug: "no-such-topic") { id title } }', `{ actor(id: "${gid('Actor', ids.redActor)}") { name } }`]) {
    const slow = await statementsOf(normal, () => post(normal, key, query));
    const fast = await statementsOf(compiled, () => bothWays(key, query).then(() => undefined));
    // bothWays sent it to the normal service too, which the spy on `compiled` does not see.
    expect({ query, statements: fast.length }).toEqual({ query, statements: slow.length });
  }
});

test('a statement that times out is sent once and held for one statement timeout, not two', async () => {
  const key = readers.find((r) => r.name === 'green')!.key;
  const query = '{ topics(first: 1) { totalCount nodes { title } } }';
  const locker = new Client({ connectionString: normal.databaseUrl });
  await locker.connect();
  try {
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE topic IN ACCESS EXCLUSIVE MODE');
    const slow = await post(normal, key, query);
    let fast: Answer | undefined;
    const sent = await statementsOf(compiled, async () => {
      fast = await post(compiled, key, query);
    });
    expect(JSON.parse(slow.body).errors[0].extensions.code).toBe('QUERY_TIMEOUT');
    expect({ status: fast!.status, body: withoutStacks(fast!.body) }).toEqual({ status: slow.status, body: withoutStacks(slow.body) });
    expect(sent.filter((s) => s.includes('topic')).length).toBe(1);
  } finally {
    await locker.query('ROLLBACK');
    await locker.end();
  }
});

test('depth, alias and cost limits hold on the fast path', async () => {
  const key = readers[1].key;
  const deep = `{ actors(first: 1) { nodes { parent { parent { parent { parent { parent { parent { parent { parent { parent { parent { parent { parent { name } } } } } } } } } } } } } } }`;
  const aliases = `{ ${Array.from({ length: 60 }, (_, i) => `a${i}: actors(first: 1) { totalCount }`).join(' ')} }`;
  const costly = `{ actors(first: 100) { nodes { parts(first: 100) { nodes { parts(first: 100) { nodes { name } } } } } } }`;
  for (const query of [deep, aliases, costly]) {
    const { fast } = await bothWays(key, query);
    expect({ query, code: JSON.parse(fast.body).errors?.[0]?.extensions?.code }).toEqual({ query, code: 'QUERY_LIMIT_EXCEEDED' });
  }
  dataOf({ status: 200, body: JSON.parse((await post(compiled, key, '{ actors(first: 1) { totalCount } }')).body) });
});

test('batched requests, HEAD, a client that goes away mid-statement: the same answers, and the service stays up', async () => {
  const key = readers[1].key;
  const batch = async (server: TestServer) => {
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify([{ query: '{ a: actors(first: 1) { totalCount } }' }, { query: '{ b: topics(first: 1) { totalCount } }' }]),
    });
    return { status: res.status, body: await res.text() };
  };
  expect(await batch(compiled)).toEqual(await batch(normal));
  const head = async (server: TestServer) => {
    const res = await fetch(`${server.url}/graphql?query=${encodeURIComponent('{ actors(first: 1) { totalCount } }')}`, {
      method: 'HEAD',
      headers: { authorization: `Bearer ${key}`, 'apollo-require-preflight': 'true' },
    });
    return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
  };
  expect(await head(compiled)).toEqual(await head(normal));

  const locker = new Client({ connectionString: normal.databaseUrl });
  await locker.connect();
  try {
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE actor IN ACCESS EXCLUSIVE MODE');
    const gone = fetch(`${compiled.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: '{ actors(first: 1) { nodes { name } } }' }),
      signal: AbortSignal.timeout(300),
    });
    await expect(gone).rejects.toThrow();
  } finally {
    await locker.query('ROLLBACK');
    await locker.end();
  }
  await new Promise((r) => setTimeout(r, 1500));
  const after = await post(compiled, key, '{ actors(first: 1) { nodes { name } } }');
  expect({ status: after.status, path: after.path }).toEqual({ status: 200, path: 'compiled' });
});

// README: "The number of statements of a query depends on its shape only". On the fast path it depends on the data:
// a value the text cannot print exactly (a Float below 1e-4 or from 1e15, a null in a non-null field) falls back and
// the normal path sends the root field's statement again. Not fixed: sending the json alongside the text in one
// statement would double every fast-path statement's planning.
test.failing('a value the text mode cannot print does not cost a second statement', async () => {
  const key = readers[1].key;
  const [{ id }] = await normal.dataSource.query(`SELECT id FROM implication WHERE statement = 'zz-float 0'`);
  const query = `query($id: ID!) { node(id: $id) { ... on Implication { quantity { best } } } }`;
  const variables = { id: gid('Implication', id) };
  const slow = await statementsOf(normal, () => post(normal, key, query, variables));
  const fast = await statementsOf(compiled, () => post(compiled, key, query, variables));
  expect(fast.length).toBe(slow.length);
});

test('with the response cache on, each reader gets its own fast-path answer, hit or miss', async () => {
  const cached = await startTestServer({ STATEMENT_TIMEOUT_MS: '1000' }, normal.databaseUrl);
  try {
    const query = `{ actors(first: 100, orderBy: { field: NAME, direction: DESC }) { totalCount nodes { name marking } } }`;
    for (let round = 0; round < 2; round += 1) {
      for (const reader of readers) {
        const res = await fetch(`${cached.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(reader.key ? { authorization: `Bearer ${reader.key}` } : {}) },
          body: JSON.stringify({ query }),
        });
        const body = await res.text();
        const expected = (await post(normal, reader.key, query)).body;
        expect({ reader: reader.name, round, cache: res.headers.get('dossier-cache'), path: res.headers.get('dossier-path'), body }).toEqual({
          reader: reader.name,
          round,
          cache: round === 0 ? 'miss' : 'hit',
          path: 'compiled',
          body: expected,
        });
      }
    }
  } finally {
    await cached.close();
  }
});

// Session settings the response cache counts as shaping text (DATABASE_IDENTITY): a database whose extra_float_digits
// is below 0 prints floats with fewer digits, in exponent form sooner; a TimeZone whose old offsets have seconds
// (local mean time) prints timestamps graphql-scalars refuses. graphql-js reads both through JSON; the text must agree.
test('a database with extra_float_digits below 0 and a local-mean-time TimeZone: the same body both ways', async () => {
  const database = await createTestDatabase();
  const servers: TestServer[] = [];
  try {
    const admin = new Client({ connectionString: database.url });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE "${database.name}" SET extra_float_digits = -3`);
      await admin.query(`ALTER DATABASE "${database.name}" SET TimeZone = 'Europe/Amsterdam'`);
    } finally {
      await admin.end();
    }
    const slow = await startTestServer({ RESPONSE_CACHE_BYTES: '0', FAST_PATH: 'off' }, database.url);
    servers.push(slow);
    const fast = await startTestServer({ RESPONSE_CACHE_BYTES: '0' }, database.url);
    servers.push(fast);
    const [topic] = await slow.dataSource.query(`SELECT id FROM topic WHERE slug = 'dprk-troops-in-russia'`);
    const [implication] = await slow.dataSource.query(
      `INSERT INTO implication (id, topic_id, statement, likelihood, marking, quantity_best, quantity_unit, quantity_exact)
       VALUES (gen_random_uuid(), $1, 'zz-digits', 'LIKELY', 'CLEAR', 1234567890123.5, 'troops', false) RETURNING id`,
      [topic.id],
    );
    const [actor] = await slow.dataSource.query(
      `INSERT INTO actor (id, name, kind, marking, created_at, updated_at)
       VALUES (gen_random_uuid(), 'zz-lmt', 'STATE', 'CLEAR', '1890-06-07 08:09:10+00', '9999-12-31 23:30:00+00') RETURNING id`,
    );
    const cases: Array<[string, string]> = [
      [`query($id: ID!) { node(id: $id) { ... on Implication { quantity { best } } } }`, gid('Implication', implication.id)],
      [`query($id: ID!) { actor(id: $id) { name updatedAt } }`, gid('Actor', actor.id)],
      [`query($id: ID!) { actor(id: $id) { name createdAt } }`, gid('Actor', actor.id)],
    ];
    const answers = [];
    for (const [query, id] of cases)
      answers.push({ query, slow: (await post(slow, slow.key, query, { id })).body, fast: (await post(fast, slow.key, query, { id })).body });
    expect(answers.map((a) => ({ query: a.query, body: a.fast }))).toEqual(answers.map((a) => ({ query: a.query, body: a.slow })));
  } finally {
    for (const server of servers.reverse()) await server.close();
    await database.drop();
  }
});

// The operations the fast path remembers it cannot answer were kept by query hash and operation name: a name is one
// token however long, so a thousand requests with names of most of MAX_BODY_BYTES held a gigabyte until the set was
// cleared. Measured on this process's heap (the services run in it), after a full collection.
test('the operations the fast path cannot answer are remembered in bounded memory, whatever their names', async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const key = readers[1].key;
  const heap = () => {
    gc();
    return process.memoryUsage().heapUsed;
  };
  const send = async (from: number, to: number) => {
    for (let i = from; i < to; i += 1) {
      const name = `N${i}_${'x'.repeat(400_000)}`;
      const res = await fetch(`${compiled.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query: `query ${name} { viewer { clearance } }`, operationName: name }),
      });
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    }
  };
  // Apollo's own cache of parsed documents fills first (30 MiB by its measure); past it, what stays is what grows.
  await send(0, 80);
  const filled = heap();
  await send(80, 160);
  const grown = (heap() - filled) / 1e6;
  process.stdout.write(`heap grew ${grown.toFixed(1)} MB over the second 80 names of 400 kB\n`);
  expect(grown).toBeLessThan(12);
}, 120_000);

test('__typename alone in connections, pages, edges and counts; fields merged across fragments on interfaces', async () => {
  const key = readers.find((r) => r.name === 'red-a')!.key;
  const queries: Array<[string, Record<string, unknown>?]> = [
    ['{ actors(first: 2) { __typename } }'],
    // A forward page's pageInfo without hasNextPage or a cursor: its statement returned a row per item (both ways).
    ['{ actors(first: 2) { pageInfo { __typename } } }'],
    ['{ actors(first: 2) { pageInfo { hasPreviousPage } } }'],
    ['{ actors(first: 2, after: null) { edges { __typename } totalCountCapped { __typename } } }'],
    ['{ statements(first: 3) { nodes { __typename } pageInfo { t: __typename hasPreviousPage } } }'],
    [
      `query($id: ID!, $yes: Boolean!) { node(id: $id) { ... on Actor { relations(first: 2) { totalCount } }
        ... on Item { ... on Actor { relations(first: 2) { nodes { type } totalCount } } }
        ...A @include(if: $yes) } }
      fragment A on Actor { relations(first: 2) { nodes { __typename from { __typename } } } }`,
      { id: gid('Actor', ids.clearActor), yes: true },
    ],
  ];
  for (const [query, variables] of queries) {
    const { fast } = await bothWays(key, query, variables);
    expect({ query, path: fast.path, errors: JSON.parse(fast.body).errors }).toEqual({ query, path: 'compiled', errors: undefined });
  }
});
