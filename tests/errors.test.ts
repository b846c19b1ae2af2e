import { dataOf, startTestServer, TestServer } from './support/server';
import { captureLog } from './support/captured-log';

let server: TestServer;
let production: TestServer;
beforeAll(async () => {
  [server, production] = await Promise.all([startTestServer(), startTestServer({ NODE_ENV: 'production' })]);
});
afterAll(() => Promise.all([server.close(), production.close()]));

const firstError = async (s: TestServer, query: string, variables?: Record<string, unknown>) => {
  const response = await s.gql(query, variables);
  expect(response.body.errors?.length).toBeGreaterThan(0);
  return response.body.errors![0];
};

test('an unknown topic, actor or source is NOT_FOUND', async () => {
  expect((await firstError(server, '{ topic(slug: "no-such-topic") { title } }')).extensions?.code).toBe('NOT_FOUND');
  const unknownActor = Buffer.from('Actor:00000000-0000-4000-8000-000000000000').toString('base64');
  expect((await firstError(server, `{ actor(id: "${unknownActor}") { name } }`)).extensions?.code).toBe('NOT_FOUND');
});

test.each([
  ['{ actor(id: "not-an-id") { name } }', 'id'],
  [`{ source(id: "${Buffer.from('Actor:00000000-0000-4000-8000-000000000000').toString('base64')}") { name } }`, 'id'],
  ['{ actors(first: 101) { totalCount } }', 'first'],
  ['{ actors(first: -1) { totalCount } }', 'first'],
  ['{ actors(after: "garbage") { totalCount } }', 'after'],
  ['{ topics { nodes { actors(first: 1000) { totalCount } } } }', 'first'],
  ['{ capabilities(filter: { minCredibility: 7 }) { totalCount } }', 'filter.minCredibility'],
  ['{ capabilities(filter: { actor: "bad" }) { totalCount } }', 'filter.actor'],
  ['{ implications(filter: { maxSources: -1 }) { totalCount } }', 'filter.maxSources'],
])('%s is BAD_USER_INPUT naming %s', async (query, argumentName) => {
  const error = await firstError(server, query);
  expect(error.extensions?.code).toBe('BAD_USER_INPUT');
  expect(error.extensions?.argumentName).toBe(argumentName);
  expect(error.message).toContain(argumentName);
});

test('a cursor from another ordering is refused', async () => {
  const page = await server.gql('{ actors(first: 1) { pageInfo { endCursor } } }');
  const cursor = page.body.data.actors.pageInfo.endCursor;
  const error = await firstError(server, `{ actors(after: "${cursor}", orderBy: { field: CREATED_AT }) { totalCount } }`);
  expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'after' });
});

test('wrong variable types are BAD_USER_INPUT', async () => {
  const error = await firstError(server, 'query($n: Int) { actors(first: $n) { totalCount } }', { n: 'ten' });
  expect(error.extensions?.code).toBe('BAD_USER_INPUT');
});

test('in production no stack trace and no internal detail reach the client', async () => {
  const coded = await firstError(production, '{ actors(first: 101) { totalCount } }');
  expect(coded.extensions?.stacktrace).toBeUndefined();
  expect((await firstError(server, '{ actors(first: 101) { totalCount } }')).extensions?.stacktrace).toBeDefined();

  await production.dataSource.query(`ALTER TABLE actor RENAME COLUMN name TO broken_name`);
  const logged = captureLog();
  const internal = await firstError(production, '{ actors { nodes { name } } }');
  logged.restore();
  expect(logged.entries).toEqual([expect.objectContaining({ level: 'error', msg: 'unexpected error', requestId: expect.any(String) })]);
  expect((logged.entries[0].err as { message: string }).message).toContain('column t1.name does not exist');
  expect(internal).toEqual({
    message: 'Internal server error',
    locations: [{ line: 1, column: 3 }],
    path: ['actors'],
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  });
});

test('in production, with introspection off, error messages suggest no schema names', async () => {
  // Each query misspells a name; the suggestion would tell the right one.
  const cases: Array<[string, string, Record<string, unknown>?]> = [
    ['{ actorz { totalCount } }', '"actors"'],
    ['{ actors(frist: 1) { totalCount } }', '"first"'],
    ['{ capabilities(filter: { markingAtMost: REDD }) { totalCount } }', '"RED"'],
    ['query($f: EventFilter) { events(filter: $f) { totalCount } }', '"occurredFrom"', { f: { occuredFrom: '2024-01-01' } }],
    ['query($m: Marking) { capabilities(filter: { markingAtMost: $m }) { totalCount } }', '"RED"', { m: 'REDD' }],
  ];
  for (const [query, suggestion, variables] of cases) {
    // Where introspection is on the suggestions help; where it is off they would give the schema away.
    expect((await firstError(server, query, variables)).message).toMatch(new RegExp(`Did you mean .*${suggestion}`));
    const hidden = await firstError(production, query, variables);
    expect({ query, message: hidden.message }).toEqual({ query, message: expect.not.stringContaining(suggestion) });
    expect({ query, message: hidden.message }).toEqual({ query, message: expect.not.stringContaining('Did you mean') });
    expect(hidden.extensions?.code).toMatch(/^(GRAPHQL_VALIDATION_FAILED|BAD_USER_INPUT)$/);
  }
});

const post = async (s: TestServer, accept: string, body: unknown) => {
  const response = await fetch(`${s.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept, authorization: `Bearer ${s.key}` },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
};

test('variables that do not fit are a 400 (200 under application/json), never a 500', async () => {
  const cases: Array<[string, Record<string, unknown>]> = [
    ['query($n: Int) { implications(first: $n) { totalCount } }', { n: 1.5 }],
    ['query($n: Int) { implications(first: $n) { totalCount } }', { n: 'ten' }],
    ['query($n: Int) { implications(first: $n) { totalCount } }', { n: 2 ** 31 }],
    ['query($s: String!) { actors(filter: { search: $s }) { totalCount } }', { s: 'a\u0000b' }],
  ];
  for (const [query, variables] of cases) {
    for (const [accept, status] of [
      ['application/graphql-response+json', 400],
      ['application/json', 200],
    ] as const) {
      const { status: got, body } = await post(server, accept, { query, variables });
      expect({ variables, accept, status: got, code: body.errors?.[0]?.extensions?.code, data: body.data }).toEqual({
        variables,
        accept,
        status,
        code: 'BAD_USER_INPUT',
        data: undefined,
      });
    }
  }
});

test('JSON nested deeper than the limit is refused as a bad request before GraphQL sees it', async () => {
  const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
  const refused = { errors: [{ message: expect.stringMatching(/nests .* deeper than 64 levels/), extensions: { code: 'BAD_REQUEST' } }] };
  // The body is the first level and its `variables` the second.
  for (const depth of [100_000, 63]) {
    for (const accept of ['application/json', 'application/graphql-response+json']) {
      const body = `{"query": "{ topics { totalCount } }", "variables": {"v": ${nested(depth)}}}`;
      expect({ depth, accept, ...(await post(server, accept, body)) }).toEqual({ depth, accept, status: 400, body: refused });
    }
  }
  const batched = `[{"query": "{ topics { totalCount } }", "extensions": {"deep": ${nested(100_000)}}}]`;
  expect(await post(server, 'application/json', batched)).toEqual({ status: 400, body: refused });
  const get = await fetch(
    `${server.url}/graphql?query=${encodeURIComponent('{ topics { totalCount } }')}&variables=${encodeURIComponent(`{"v": ${nested(2000)}}`)}`,
    {
      headers: { 'apollo-require-preflight': 'true' },
    },
  );
  expect({ status: get.status, body: await get.json() }).toEqual({ status: 400, body: refused });

  // Query text nested a few thousand deep would overflow the recursive parser: refused before it parses.
  const deepQuery = `{ topics(first: ${'['.repeat(2400)}1${']'.repeat(2400)}) { totalCount } }`; // within MAX_TOKENS
  const deep = await post(server, 'application/json', { query: deepQuery });
  expect(deep).toEqual({
    status: 400,
    body: { errors: [{ message: 'The query nests braces, parentheses or brackets deeper than 64 levels', extensions: { code: 'BAD_REQUEST' } }] },
  });
  expect(JSON.stringify(deep.body)).not.toContain('call stack');

  // At the limit, the request goes through.
  const atLimit = await post(server, 'application/json', `{"query": "{ topics { totalCount } }", "extensions": {"v": ${nested(62)}}}`);
  expect(atLimit).toEqual({ status: 200, body: { data: { topics: { totalCount: 1 } } } });
});

test('a day PostgreSQL cannot store is refused where it is given, never an internal error', async () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['query($f: EventFilter) { events(filter: $f) { totalCount } }', { f: { occurredFrom: '0000-01-01' } }, 'f.occurredFrom'],
    ['query($f: SourceFilter) { sources(filter: $f) { totalCount } }', { f: { publishedTo: '2024-02-30' } }, 'f.publishedTo'],
    ['query($f: RelationFilter) { relations(filter: $f) { totalCount } }', { f: { validOn: '0000-12-31' } }, 'f.validOn'],
    ['query($i: BriefInput!) { brief(input: $i) { title } }', { i: { topics: ['dprk-troops-in-russia'], from: '0000-01-01' } }, 'i.from'],
    ['query($d: LocalDate) { events(filter: { occurredTo: $d }) { totalCount } }', { d: '10000-01-01' }, '$d'],
  ];
  for (const [query, variables, where] of cases) {
    const { status, body } = await post(server, 'application/graphql-response+json', { query, variables });
    const error = body.errors?.[0];
    expect({ where, status, code: error?.extensions?.code }).toEqual({ where, status: 400, code: 'BAD_USER_INPUT' });
    expect(error.message).toContain(where.startsWith('$') ? `Variable "${where}"` : `at "${where}"`);
  }
  const write = await server.gql(`mutation($input: EventInput!) { createEvent(input: $input) { id } }`, {
    input: { topic: 'dprk-troops-in-russia', title: 'Year zero', occurredOn: '0000-01-01', precision: 'DAY', citations: [] },
  });
  expect(write.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  expect(write.body.errors?.[0]?.message).toContain('at "input.occurredOn"');
  // Written in the query itself, it fails validation, which points at it.
  const literal = await firstError(server, '{ events(filter: { occurredFrom: "0000-01-01" }) { totalCount } }');
  expect(literal).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' }, locations: [{ line: 1, column: 34 }] });
  expect(literal.message).toContain('"0000-01-01"');
});

test('a time outside the years 1 to 9999 is BAD_USER_INPUT on since, not an internal error', async () => {
  const DELTA = 'query($s: DateTime!) { briefDelta(input: { topics: ["dprk-troops-in-russia"] }, since: $s) { since } }';
  for (const since of ['9999-12-31T23:59:59-23:59', '0000-01-01T00:00:00+23:59', '0000-01-01T00:00:00Z']) {
    const error = await firstError(server, DELTA, { s: since });
    expect({ since, ...error.extensions, stacktrace: undefined }).toEqual({ since, code: 'BAD_USER_INPUT', argumentName: 'since', stacktrace: undefined });
  }
  expect(dataOf(await server.gql(DELTA, { s: '0001-01-01T00:00:00Z' })).briefDelta.since).toBe('0001-01-01T00:00:00.000Z');
});

test('a huge list of bad values in the variables is one coded refusal', async () => {
  const horizons = Array.from({ length: 100_000 }, () => 'WEEKS');
  const { status, body } = await post(server, 'application/graphql-response+json', {
    query: 'query($h: [TimeHorizon!]) { implications(filter: { horizons: $h }) { totalCount } }',
    variables: { h: horizons },
  });
  expect({ status, codes: body.errors?.map((e: any) => e.extensions?.code) }).toEqual({ status: 400, codes: ['BAD_USER_INPUT'] });
});

test('a key that cannot be looked up in time is a 503 to retry, not a 500', async () => {
  const slow = await startTestServer({ STATEMENT_TIMEOUT_MS: '300' }, server.databaseUrl);
  const locker = slow.dataSource.createQueryRunner();
  await locker.connect();
  try {
    await locker.startTransaction();
    await locker.query('LOCK TABLE api_key IN ACCESS EXCLUSIVE MODE');
    const response = await fetch(`${slow.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${slow.key}` },
      body: JSON.stringify({ query: '{ topics { totalCount } }' }),
    });
    expect({ status: response.status, retryAfter: response.headers.get('retry-after'), code: (await response.json()).errors?.[0]?.extensions?.code }).toEqual({
      status: 503,
      retryAfter: '2',
      code: 'SERVICE_UNAVAILABLE',
    });
  } finally {
    await locker.rollbackTransaction();
    await locker.release();
    await slow.close();
  }
});
