import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  getNamedType,
  getNullableType,
  isInterfaceType,
  isLeafType,
  isListType,
  type GraphQLField,
  type GraphQLInterfaceType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { parse } from 'graphql';
import { Marking } from '../src/common/marking';
import { createKey, identityOfKey } from '../src/modules/identity/api-key.service';
import { compileOperation } from '../src/read/operation-sql';
import type { Statement } from '../src/read/reader';
import { Role } from '../src/modules/identity/role';
import { buildDossierSchema } from '../src/server/schema';
import { TEST_PAGE_SIZE } from './support/operation-sql';
import { dataOf, startTestServer, type TestServer } from './support/server';
import { withoutStacks } from './support/answers';
import { random, type Random } from './support/random';

// The compiled fast path must answer byte for byte what graphql-js answers. Two services on one database, one with
// FAST_PATH=off, are sent the same operations as the same readers, and their bodies compared as text: every example
// operation, the benchmark's brief, and a generated corpus (random selections, aliases, fragments, __typename,
// variables, pagination) over data that holds hostile strings.

const HOSTILE = `"quoted" \\ back\\slash \\" \u0001\u001f\b\f\n\r\t \u007f \u2028\u2029 é 中文 😀 </script> '<'`;

let normal: TestServer;
let compiled: TestServer;
let schema: GraphQLSchema;
let readers: Array<{ name: string; key: string | null }>;

interface Answer {
  status: number;
  path: string | null;
  body: string;
}

const post = async (server: TestServer, key: string | null, query: string, variables?: Record<string, unknown>): Promise<Answer> => {
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, path: res.headers.get('dossier-path'), body: await res.text() };
};

/** The operation sent both ways as `key`: equal bodies; whether the fast path answered. */
async function bothWays(key: string | null, query: string, variables?: Record<string, unknown>): Promise<boolean> {
  const [slow, fast] = await Promise.all([post(normal, key, query, variables), post(compiled, key, query, variables)]);
  expect(slow.path).toBeNull();
  expect(slow.body.includes('"stacktrace"')).toBe(withoutStacks(slow.body) !== slow.body);
  expect({ status: fast.status, body: withoutStacks(fast.body), query }).toEqual({ status: slow.status, body: withoutStacks(slow.body), query });
  return fast.path === 'compiled';
}

beforeAll(async () => {
  normal = await startTestServer({ FAST_PATH: 'off', RESPONSE_CACHE_BYTES: '0', VIEWER_CLEARANCE: 'AMBER' });
  compiled = await startTestServer({ RESPONSE_CACHE_BYTES: '0' }, normal.databaseUrl);
  schema = await buildDossierSchema();
  const { key: green } = await createKey(normal.dataSource.manager, { name: `fast-green-${process.pid}`, role: Role.VIEWER, clearance: Marking.GREEN });
  readers = [
    { name: 'AMBER', key: normal.key },
    { name: 'GREEN', key: green },
    { name: 'anonymous', key: null },
  ];
  // Hostile strings in every text the corpus reads, at markings some readers may not see.
  for (const [i, marking] of ['CLEAR', 'GREEN', 'AMBER'].entries()) {
    dataOf(
      await normal.gql(`mutation($input: ActorInput!) { createActor(input: $input) { id } }`, {
        input: {
          name: `${HOSTILE} ${i}`,
          kind: 'STATE',
          description: HOSTILE,
          aliases: [`${HOSTILE} alias ${i}`, `"${i}`, `\\${i}`],
          marking,
          externalIds: [{ scheme: 'WIKIDATA', value: `Q9${i}71` }],
        },
      }),
    );
  }
}, 60_000);
afterAll(async () => {
  await compiled?.close();
  await normal?.close();
});

const dir = join(__dirname, '..', 'fixtures', 'operations');
const examples = readdirSync(dir)
  .filter((f) => f.endsWith('.graphql'))
  .map((file) => {
    const variablesFile = join(dir, file.replace(/\.graphql$/, '.variables.json'));
    const variables = existsSync(variablesFile) ? (JSON.parse(readFileSync(variablesFile, 'utf8')) as Record<string, unknown>) : undefined;
    return { file, query: readFileSync(join(dir, file), 'utf8'), variables };
  });
examples.push({
  file: 'bench dossier-brief',
  // Its pages made smaller: the test service's cost limit is lower than the benchmark's.
  query: readFileSync(join(__dirname, '..', 'scripts', 'bench', 'queries', 'dossier-brief.graphql'), 'utf8').replace(/first: 100/g, 'first: 5'),
  variables: { slug: 'dprk-troops-in-russia' },
});

test.each(examples.map((e) => [e.file, e] as const))('%s: the same body both ways, for every reader, compiled', async (_file, example) => {
  for (const reader of readers) {
    const taken = await bothWays(reader.key, example.query, example.variables);
    // The examples read only what the compiler reads (all but the brief() one): the fast path answers them.
    if (!/\bbrief\s*\(/.test(example.query)) expect({ reader: reader.name, taken }).toEqual({ reader: reader.name, taken: true });
  }
});

// The fast path sends, per root field, the one statement compileOperation gives in text mode: the same compiler, the
// same access seam, only the output differs (operations.test checks the json statements of the normal path).
test.each(examples.filter((e) => !/\bbrief\s*\(/.test(e.query)).map((e) => [e.file, e] as const))(
  '%s: sends its text-mode statements',
  async (_file, example) => {
    const viewer = await identityOfKey(compiled.dataSource.manager, normal.key);
    const expected = await compileOperation(schema, parse(example.query), {
      variables: example.variables,
      viewer: viewer!,
      pageSize: TEST_PAGE_SIZE,
      text: true,
    });
    const sent: Statement[] = [];
    const original = compiled.dataSource.query.bind(compiled.dataSource);
    const spy = jest.spyOn(compiled.dataSource, 'query').mockImplementation((text, params, runner) => {
      sent.push({ text, params: (params as unknown[] | undefined) ?? [] });
      return original(text, params, runner);
    });
    try {
      expect((await post(compiled, normal.key, example.query, example.variables)).path).toBe('compiled');
    } finally {
      spy.mockRestore();
    }
    const inOrder = (statements: Statement[]) => [...statements].sort((a, b) => a.text.localeCompare(b.text));
    expect(inOrder(sent)).toEqual(inOrder(expected.flatMap((f) => (f.statement ? [f.statement] : []))));
  },
);

test('the response cache keeps the spliced text: a hit is the same body', async () => {
  const cached = await startTestServer({}, normal.databaseUrl);
  try {
    const query = '{ actors(first: 3) { nodes { id name aliases } } }';
    const first = await post(cached, normal.key, query);
    expect(first.path).toBe('compiled');
    const hit = await fetch(`${cached.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${normal.key}` },
      body: JSON.stringify({ query }),
    });
    expect(hit.headers.get('dossier-cache')).toBe('hit');
    const body = await hit.text();
    expect(body).toBe(first.body);
    expect(body).toBe((await post(normal, normal.key, query)).body);
  } finally {
    await cached.close();
  }
});

test('operations it cannot answer exactly run the normal way, with the same body', async () => {
  const cases: Array<[string, Record<string, unknown>?]> = [
    // Not found, a bad id, a bad cursor: errors come from graphql-js.
    ['{ topic(slug: "no-such-topic") { id } }'],
    ['{ actor(id: "nope") { id } }'],
    ['{ actors(first: 1, after: "bad") { nodes { id } } }'],
    // A root field the compiler does not read, next to one it does.
    ['{ viewer { clearance } actors(first: 1) { nodes { id } } }'],
    ['{ __schema { queryType { name } } }'],
    ['mutation { __typename }'],
  ];
  for (const [query, variables] of cases) {
    for (const reader of readers) expect(await bothWays(reader.key, query, variables)).toBe(false);
  }
});

test('FAST_PATH=off: never compiled; on: the header says so and one statement per root field', async () => {
  const query = '{ a: actors(first: 2) { nodes { id name } } t: topic(slug: "dprk-troops-in-russia") { title } __typename }';
  expect((await post(normal, normal.key, query)).path).toBeNull();
  let statements = 0;
  const original = compiled.dataSource.query.bind(compiled.dataSource);
  const spy = jest.spyOn(compiled.dataSource, 'query').mockImplementation((text, params, runner) => {
    statements += 1;
    return original(text, params, runner);
  });
  try {
    const fast = await post(compiled, normal.key, query);
    expect(fast.path).toBe('compiled');
  } finally {
    spy.mockRestore();
  }
  expect(statements).toBe(2);
});

test('cursors, backward pages and nested connections compare equal', async () => {
  const page = '{ actors(first: 3) { edges { cursor } pageInfo { endCursor startCursor hasNextPage hasPreviousPage } } }';
  const first = JSON.parse((await post(compiled, normal.key, page)).body) as { data: { actors: { pageInfo: { endCursor: string } } } };
  const cursor = first.data.actors.pageInfo.endCursor;
  const queries = [
    `query($c: String) { actors(first: 2, after: $c) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } nodes { name } } }`,
    `query($c: String) { actors(last: 2, before: $c) { pageInfo { hasNextPage hasPreviousPage } edges { cursor node { name aliases } } } }`,
    `{ actors(orderBy: { field: NAME, direction: DESC }, first: 5) { nodes { name externalIds { scheme value __typename } parts(first: 1) { totalCount } } } x: __typename }`,
    `{ statements(first: 4) { totalCountCapped { count exact } nodes { __typename id ... on Capability { category } ... on Event { occurredOn occurredFrom occurredTo } } } }`,
  ];
  for (const query of queries) {
    const variables = query.includes('$c') ? { c: cursor } : undefined;
    for (const reader of readers) expect(await bothWays(reader.key, query, variables)).toBe(true);
  }
});

/** A random selection on `type`, `depth` levels of objects below it at most. */
function selectionOf(r: Random, type: GraphQLObjectType | GraphQLInterfaceType, depth: number, fragments: string[]): string {
  const fields = Object.values(type.getFields()) as Array<GraphQLField<unknown, unknown>>;
  const leaves = fields.filter((f) => isLeafType(getNamedType(f.type)) || (isListType(getNullableType(f.type)) && isLeafType(getNamedType(f.type))));
  const objects = fields.filter((f) => !isLeafType(getNamedType(f.type)));
  const parts: string[] = [];
  const alias = (name: string) => (r.chance(0.2) ? `${name}_${r.int(3)}: ${name}` : name);
  for (const f of leaves) if (r.chance(0.35)) parts.push(alias(f.name));
  if (!parts.length) parts.push(r.pick(leaves).name);
  if (r.chance(0.25)) parts.splice(r.int(parts.length + 1), 0, r.chance(0.5) ? '__typename' : 'tn: __typename');
  if (depth > 0) {
    for (const f of objects) {
      if (!r.chance(0.25)) continue;
      const named = getNamedType(f.type) as GraphQLObjectType | GraphQLInterfaceType;
      const args: string[] = [];
      if (f.args.some((a) => a.name === 'first') && r.chance(0.7)) args.push(`first: ${1 + r.int(4)}`);
      if (f.args.some((a) => a.name === 'includeRetracted') && r.chance(0.2)) args.push('includeRetracted: true');
      const call = args.length ? `${alias(f.name)}(${args.join(', ')})` : alias(f.name);
      parts.push(`${call} { ${selectionOf(r, named, depth - 1, fragments)} }`);
    }
  }
  if (isInterfaceType(type)) {
    for (const concrete of schema.getPossibleTypes(type))
      if (r.chance(0.3)) parts.push(`... on ${concrete.name} { ${selectionOf(r, concrete, 0, fragments)} }`);
  } else if (r.chance(0.15) && parts.length > 1) {
    // The same fields again through a named fragment: collected into one field each, as graphql-js does.
    const name = `F${fragments.length}`;
    fragments.push(`fragment ${name} on ${type.name} { ${parts.slice(0, 2).join(' ')} }`);
    parts.push(`...${name}`);
  }
  return parts.join(' ');
}

/** A connection's selection: some of totalCount, nodes, edges and pageInfo. */
function connectionSelection(r: Random, connection: GraphQLObjectType, depth: number, fragments: string[]): string {
  const node = getNamedType(connection.getFields().nodes.type) as GraphQLObjectType | GraphQLInterfaceType;
  const parts: string[] = [];
  const fields = connection.getFields();
  if (fields.totalCount && r.chance(0.4)) parts.push('totalCount');
  if (fields.totalCountCapped && r.chance(0.4)) parts.push('totalCountCapped { count exact }');
  if (r.chance(0.6)) parts.push(`nodes { ${selectionOf(r, node, depth, fragments)} }`);
  if (r.chance(0.4)) parts.push(`edges { ${r.chance(0.5) ? 'cursor ' : ''}node { ${selectionOf(r, node, depth, fragments)} } }`);
  if (r.chance(0.4)) parts.push('pageInfo { hasNextPage endCursor __typename }');
  if (r.chance(0.2)) parts.push('__typename');
  if (!parts.length) parts.push('nodes { id }');
  return parts.join(' ');
}

test('a generated corpus of operations: the same body both ways, for every reader', async () => {
  const query = schema.getQueryType()!;
  const lists = ['actors', 'topics', 'capabilities', 'challenges', 'implications', 'events', 'relations', 'sources', 'statements'];
  const ids = JSON.parse((await post(compiled, normal.key, '{ actors(first: 20) { nodes { id } } sources(first: 5) { nodes { id } } }')).body) as {
    data: { actors: { nodes: Array<{ id: string }> }; sources: { nodes: Array<{ id: string }> } };
  };
  const idsOf = [...ids.data.actors.nodes, ...ids.data.sources.nodes].map((n) => n.id);
  let taken = 0;
  const total = Number(process.env.FAST_PATH_CORPUS ?? 60);
  for (let seed = 1; seed <= total; seed += 1) {
    const r = random(seed);
    const fragments: string[] = [];
    const roots: string[] = [];
    const variables: Record<string, unknown> = {};
    const definitions: string[] = [];
    for (let i = 0; i < 1 + r.int(2); i += 1) {
      const alias = `r${i}: `;
      const kind = r.int(4);
      if (kind === 0) {
        const name = r.pick(lists);
        const connection = getNamedType(query.getFields()[name].type) as GraphQLObjectType;
        const first = r.chance(0.8) ? `(first: ${1 + r.int(6)})` : '';
        roots.push(`${alias}${name}${first} { ${connectionSelection(r, connection, 2, fragments)} }`);
      } else if (kind === 1) {
        if (!definitions.includes('$slug: String!')) definitions.push('$slug: String!');
        variables.slug = 'dprk-troops-in-russia';
        roots.push(`${alias}topic(slug: $slug) { ${selectionOf(r, schema.getType('Topic') as GraphQLObjectType, 2, fragments)} }`);
      } else if (kind === 2) {
        const id = `id${i}`;
        definitions.push(`$${id}: ID!`);
        variables[id] = r.pick(idsOf);
        roots.push(`${alias}node(id: $${id}) { ${selectionOf(r, schema.getType('Node') as GraphQLInterfaceType, 2, fragments)} }`);
      } else {
        roots.push(
          `${alias}actor(id: "${r.pick(ids.data.actors.nodes).id}") { ${selectionOf(r, schema.getType('Actor') as GraphQLObjectType, 2, fragments)} }`,
        );
      }
    }
    const document = `query Corpus${seed}${definitions.length ? `(${definitions.join(', ')})` : ''} { ${roots.join(' ')} }\n${fragments.join('\n')}`;
    const reader = readers[seed % readers.length];
    if (await bothWays(reader.key, document, variables)) taken += 1;
  }
  const paths = (await (await fetch(`${compiled.url}/metrics`)).text()).split('\n').filter((l) => l.startsWith('dossier_compiled_answers_total'));
  process.stdout.write(`fast path: ${taken} of ${total} generated operations\n${paths.join('\n')}\n`);
  // Most generated operations are answered by the fast path (some go over the limits, or read a retracted item...).
  expect(taken).toBeGreaterThan(total * 0.6);
}, 120_000);
