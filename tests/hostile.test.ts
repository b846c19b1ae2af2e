import { readdirSync, readFileSync } from 'node:fs';
import { getIntrospectionQuery } from 'graphql';
import { join } from 'node:path';
import { fixtureId } from '../src/modules/fixture/fixture.ids';
import { dataOf, startTestServer, TestServer } from './support/server';

// Hostile requests: each gets a coded error, the server stays up, and nothing above the reader's clearance appears.
// The reader here is GREEN; the seed's marked layer has AMBER and RED items.
let server: TestServer;
const responses: string[] = [];
const ABOVE_CLEARANCE = ['first committed in the Kursk region', 'In return for the partnership', 'With few North Korean soldiers fluent'];

beforeAll(async () => {
  server = await startTestServer({ MAX_BODY_BYTES: '20000', MAX_TOKENS: '2000' });
});
afterAll(async () => {
  // Whatever was sent, the service still answers, and no response carried a marked item.
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  expect(dataOf(await server.gql('{ topics { totalCount } }')).topics.totalCount).toBe(1);
  for (const text of ABOVE_CLEARANCE) expect(responses.filter((r) => r.includes(text))).toEqual([]);
  await server.close();
});

async function send(query: string, variables?: Record<string, unknown>) {
  const response = await server.gql(query, variables);
  responses.push(JSON.stringify(response.body));
  return { status: response.status, error: response.body.errors?.[0] };
}

const nest = (depth: number) => `{ actors(first: 1) { nodes { ${'parent { '.repeat(depth)}name${' }'.repeat(depth)} } } }`;

test('limits: depth, aliases, cost and page size each refuse with the limit named', async () => {
  const cases: Array<[string, string, Record<string, unknown>]> = [
    ['depth', nest(20), { code: 'QUERY_LIMIT_EXCEEDED', limit: 'depth', max: 12 }],
    [
      'aliases',
      `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: topics { totalCount }`).join(' ')} }`,
      { code: 'QUERY_LIMIT_EXCEEDED', limit: 'aliases', max: 30 },
    ],
    [
      'cost',
      `{ actors(first: 100) { nodes { capabilities(first: 100) { nodes { citations { source { citations(first: 100) { nodes { quote } } } } } } } } }`,
      { code: 'QUERY_LIMIT_EXCEEDED', limit: 'cost', max: 250000 },
    ],
    ['directives', `{ topics { ${'totalCount @include(if: true) '.repeat(60)} } }`, { code: 'QUERY_LIMIT_EXCEEDED', limit: 'directives', max: 50 }],
  ];
  for (const [name, query, expected] of cases) {
    const { status, error } = await send(query);
    // With Accept: application/json a request error is HTTP 200, as GraphQL over HTTP asks; the code tells the limit.
    expect({ name, status, ...error?.extensions }).toMatchObject({ name, status: 200, ...expected });
    expect(error?.message).toMatch(new RegExp(name === 'cost' ? 'cost' : name === 'aliases' ? 'alias' : name === 'depth' ? 'depth' : 'directive', 'i'));
  }
  const page = await send('{ actors(first: 100000) { totalCount } }');
  expect(page.error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'first' });
  // The full DPRK brief in one query stays well inside the defaults.
  const brief = await send(readFileSync(join(__dirname, '..', 'fixtures', 'operations', 'dprk-brief.graphql'), 'utf8'));
  expect(brief.error).toBeUndefined();
});

// Fragments that each spread the next one twice: a few hundred bytes that expand to 2^levels nested objects, each a
// subquery of the compiled statement, while the cost (rows times fields) stays low because every object is one row.
const doubling = (levels: number) =>
  `{ actors(first: 1) { nodes { ...F0 } } } ` +
  Array.from({ length: levels }, (_, i) => `fragment F${i} on Actor { name parent { ...F${i + 1} } supersededBy { ...F${i + 1} } }`).join(' ') +
  ` fragment F${levels} on Actor { name }`;

test('limits: fragments expanding to hundreds of nested objects are refused', async () => {
  const { status, error } = await send(doubling(8));
  expect({ status, ...error?.extensions }).toMatchObject({ status: 200, code: 'QUERY_LIMIT_EXCEEDED', limit: 'objectFields', max: 200 });
  expect(error?.message).toMatch(/512 object fields/);
  // Just under the limit the same shape is served; every example operation and the introspection GraphiQL sends, too.
  expect((await send(doubling(6))).error).toBeUndefined();
  for (const file of readdirSync(join(__dirname, '..', 'fixtures', 'operations')).filter((f) => f.endsWith('.graphql'))) {
    const { error: refused } = await send(readFileSync(join(__dirname, '..', 'fixtures', 'operations', file), 'utf8'));
    expect({ file, refused }).toEqual({ file, refused: undefined });
  }
  expect(
    (await send(getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, inputValueDeprecation: true }))).error,
  ).toBeUndefined();
});

test('cyclic fragments, token floods, oversize bodies and malformed JSON are refused with codes', async () => {
  const cyclic = await send('query { topics { ...A } } fragment A on TopicConnection { ...B } fragment B on TopicConnection { ...A }');
  expect(cyclic.error?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  const tokens = await send(`{ ${'topics { totalCount } '.repeat(600)} }`);
  expect(tokens.error?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
  expect(tokens.error?.message).toMatch(/tokens/);

  const big = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.key}` },
    body: JSON.stringify({ query: '{ topics { totalCount } }', variables: { pad: 'x'.repeat(30000) } }),
  });
  expect({ status: big.status, body: await big.json() }).toEqual({
    status: 413,
    body: { errors: [{ message: 'The request body is too large', extensions: { code: 'BAD_REQUEST' } }] },
  });
  const malformed = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
  expect(malformed.status).toBe(400);
  expect((await malformed.json()).errors[0].extensions.code).toBe('BAD_REQUEST');
});

test('wrong variable types are BAD_USER_INPUT', async () => {
  for (const [query, variables] of [
    ['query($n: Int) { actors(first: $n) { totalCount } }', { n: 'ten' }],
    ['query($m: Marking) { capabilities(filter: { markingAtMost: $m }) { totalCount } }', { m: 'TOP_SECRET' }],
    ['query($i: BriefInput!) { brief(input: $i) { title } }', { i: { topics: 'not-a-list', minCredibility: 'high' } }],
  ] as const) {
    const { error } = await send(query, variables);
    expect({ query, code: error?.extensions?.code }).toEqual({ query, code: 'BAD_USER_INPUT' });
  }
});

test('injection strings in every filter are just text: no error, no leak, no damage', async () => {
  const attacks = ["'; DROP TABLE actor; --", '%', '_', '\\', "' OR '1'='1", '") { __schema { types { name } } }', '<script>alert(1)</script>', '\u0000'];
  for (const attack of attacks) {
    const query = `query($s: String!) {
      actors(filter: { search: $s }) { totalCount }
      sources(filter: { search: $s }) { totalCount }
      capabilities(filter: { topic: $s }) { totalCount }
      topics(filter: { search: $s }) { totalCount }
    }`;
    const result = await send(query, { s: attack });
    if (result.error) expect({ attack, code: result.error.extensions?.code }).toEqual({ attack, code: 'BAD_USER_INPUT' });
    const node = await send('query($id: ID!) { node(id: $id) { id } }', { id: attack });
    expect({ attack, code: node.error?.extensions?.code }).toEqual({ attack, code: 'BAD_USER_INPUT' });
    const brief = await send('query($t: String!) { brief(input: { topics: [$t] }) { title } }', { t: attack });
    expect({ attack, code: brief.error?.extensions?.code }).toEqual({ attack, code: 'BAD_USER_INPUT' });
  }
  const [{ count }] = await server.dataSource.query('SELECT count(*)::int AS count FROM actor WHERE id = $1', [fixtureId('actor', 'russia')]);
  expect(count).toBe(1);
});

test('security headers, CSRF prevention, and a statement timeout on the database side', async () => {
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ topics { totalCount } }' }),
  });
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
  expect(res.headers.get('x-powered-by')).toBeNull();
  const csrf = await fetch(`${server.url}/graphql?query=${encodeURIComponent('{ topics { totalCount } }')}`);
  expect(csrf.status).toBe(400);
  expect(await csrf.text()).toMatch(/CSRF/i);
  const [{ statement_timeout }] = await server.dataSource.query('SHOW statement_timeout');
  expect(statement_timeout).toBe('10s');
});

test('in production, introspection and GraphiQL are off unless turned on', async () => {
  const production = await startTestServer({ NODE_ENV: 'production' }, server.databaseUrl);
  const chosen = await startTestServer({ NODE_ENV: 'production', INTROSPECTION: 'true', GRAPHIQL: 'true' }, server.databaseUrl);
  try {
    const introspect = await production.gql('{ __schema { queryType { name } } }');
    expect(introspect.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    // The refusal names the setting that lifts it, not Apollo's constructor option.
    expect(introspect.body.errors?.map((e) => e.message)).toEqual(['Introspection is off in production; set INTROSPECTION=true to allow it.']);
    expect((await production.gql('{ __type(name: "Query") { name } }')).body.errors?.[0]?.message).toBe(
      'Introspection is off in production; set INTROSPECTION=true to allow it.',
    );
    const off = await startTestServer({ INTROSPECTION: 'false' }, server.databaseUrl);
    try {
      expect((await off.gql('{ __schema { queryType { name } } }')).body.errors?.[0]?.message).toBe(
        'Introspection is off (INTROSPECTION=false); set INTROSPECTION=true to allow it.',
      );
    } finally {
      await off.close();
    }
    expect((await fetch(`${production.url}/`)).status).toBe(404);
    expect(dataOf(await chosen.gql('{ __schema { queryType { name } } }')).__schema.queryType.name).toBe('Query');
    expect((await fetch(`${chosen.url}/`)).status).toBe(200);
  } finally {
    await Promise.all([production.close(), chosen.close()]);
  }
});

test('an alias beginning with "__" is refused as invalid, never an internal error', async () => {
  const capability = await server.gql(`{ capabilities(first: 1) { nodes { id } } }`);
  const id = dataOf(capability).capabilities.nodes[0].id;
  // Answered as any invalid document is (200 under application/json, as GraphQL over HTTP says).
  const invalid = await server.gql(`{ capabilities(first: 1) { nodes { noSuchField } } }`);
  expect(invalid.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  for (const [query, variables] of [
    [`query($id: ID!) { node(id: $id) { ... on Capability { __typename: statement } } }`, { id }],
    [`{ sources(first: 1) { nodes { citations(first: 1) { nodes { statement { __typename: marking } } } } } }`, {}],
    [`{ capabilities(first: 1) { nodes { __schema: statement } } }`, {}],
  ] as const) {
    const response = await server.gql(query, variables);
    expect({ query, status: response.status, code: response.body.errors?.[0]?.extensions?.code }).toEqual({
      query,
      status: invalid.status,
      code: 'GRAPHQL_VALIDATION_FAILED',
    });
  }
  // __typename itself, aliased or not, still answers.
  expect(dataOf(await server.gql(`{ capabilities(first: 1) { nodes { kind: __typename __typename } } }`)).capabilities.nodes[0]).toEqual({
    kind: 'Capability',
    __typename: 'Capability',
  });
});
