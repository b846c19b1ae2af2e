// Plan shape of list pages on big tables: for every offered ordering of every root list (and a nested connection),
// both directions, forward and backward, first page and after a cursor, the exact statement the service sends reads
// an index (or keeps a top-N heap) and never scans or sorts a whole big table. Plans are asserted, never timings.
import { parse, type GraphQLSchema } from 'graphql';
import { Client } from 'pg';
import { Marking } from '../src/common/marking';
import type { Viewer } from '../src/common/viewer';
import { fixtureId } from '../src/modules/fixture/fixture.ids';
import { Role } from '../src/modules/identity/role';
import { compileOperation } from '../src/read/operation-sql';
import { readModels } from '../src/registry/registry';
import { statementOrdering } from '../src/modules/statement/statement.list';
import { buildDossierSchema } from '../src/server/schema';
import { TEST_PAGE_SIZE } from './support/operation-sql';
import { dataOf, startTestServer, type TestServer } from './support/server';

const ROWS = 50_000;
/** The seed's Russia (TLP:CLEAR): every generated capability, challenge and relation is about it. */
const RUSSIA = fixtureId('actor', 'russia');
const BIG_TABLES = ['capability', 'challenge', 'actor_relation', 'event', 'implication', 'source', 'actor', 'topic'];

/** ROWS rows in each big table, spread over markings, organisations, audiences, terms and dates, 1 % retracted. */
const GENERATE = `
  WITH g AS (SELECT n FROM generate_series(1, ${ROWS}) n),
  marks AS (SELECT n,
    (ARRAY['CLEAR', 'GREEN', 'GREEN', 'AMBER', 'AMBER_STRICT', 'RED'])[1 + n % 6]::tlp_marking AS marking,
    CASE WHEN n % 6 = 4 THEN (ARRAY['test-org', 'other-org'])[1 + n % 2] END AS organisation,
    CASE WHEN n % 6 = 5 THEN ARRAY['test-org/reader'] ELSE '{}' END AS audience,
    CASE WHEN n % 100 = 7 THEN now() END AS retracted_at,
    now() - n * interval '1 minute' AS created_at,
    date '2020-01-01' + (n % 2000) AS day
    FROM g),
  t AS (INSERT INTO topic (id, slug, title, summary, marking, organisation, audience, retracted_at, created_at, starts_on)
    SELECT gen_random_uuid(), 'plans-' || n, 'Plans ' || n, 'generated', marking, organisation, audience, retracted_at, created_at,
      CASE WHEN n % 3 > 0 THEN day END FROM marks RETURNING id),
  a AS (INSERT INTO actor (id, name, kind, marking, organisation, audience, retracted_at, created_at)
    SELECT gen_random_uuid(), 'Plans actor ' || n, 'STATE', marking, organisation, audience, retracted_at, created_at FROM marks RETURNING id),
  one_topic AS (SELECT id FROM t LIMIT 1), actors AS (SELECT id FROM a LIMIT 2),
  term AS (SELECT vocabulary, array_agg(term ORDER BY position) AS terms FROM vocabulary_term GROUP BY vocabulary),
  cap AS (INSERT INTO capability (id, topic_id, actor_id, category, statement, marking, organisation, audience, retracted_at, created_at)
    SELECT gen_random_uuid(), (SELECT id FROM one_topic), '${RUSSIA}'::uuid, terms[1 + n % cardinality(terms)], 'can', marking,
      organisation, audience, retracted_at, created_at FROM marks, term WHERE vocabulary = 'capability-category'),
  cha AS (INSERT INTO challenge (id, topic_id, actor_id, category, statement, marking, organisation, audience, retracted_at, created_at)
    SELECT gen_random_uuid(), (SELECT id FROM one_topic), '${RUSSIA}'::uuid, terms[1 + n % cardinality(terms)], 'cannot', marking,
      organisation, audience, retracted_at, created_at FROM marks, term WHERE vocabulary = 'challenge-category'),
  rel AS (INSERT INTO actor_relation (id, topic_id, from_actor_id, to_actor_id, type, valid_from, marking, organisation, audience, retracted_at, created_at)
    SELECT gen_random_uuid(), (SELECT id FROM one_topic), '${RUSSIA}'::uuid, (SELECT max(id::text)::uuid FROM actors),
      terms[1 + n % cardinality(terms)], CASE WHEN n % 3 > 0 THEN day END, marking, organisation, audience, retracted_at, created_at
    FROM marks, term WHERE vocabulary = 'relation-type'),
  ev AS (INSERT INTO event (id, topic_id, title, occurred_on, precision, marking, organisation, audience, retracted_at, created_at)
    SELECT gen_random_uuid(), (SELECT id FROM one_topic), 'happened', day, 'DAY', marking, organisation, audience, retracted_at, created_at FROM marks),
  im AS (INSERT INTO implication (id, topic_id, statement, likelihood, confidence, as_of, scope, horizon, marking, organisation, audience, retracted_at, created_at)
    SELECT gen_random_uuid(), (SELECT id FROM one_topic), 'means', (enum_range(NULL::likelihood))[1 + n % 5],
      (ARRAY[NULL, 'LOW', 'MODERATE', 'HIGH'])[1 + n % 4]::analytic_confidence, CASE WHEN n % 3 > 0 THEN day END, 'GLOBAL', 'LONG_TERM',
      marking, organisation, audience, retracted_at, created_at FROM marks)
  INSERT INTO source (id, name, kind, reliability, published_on, marking, organisation, audience, retracted_at, created_at)
    SELECT gen_random_uuid(), 'Plans source ' || n, 'MEDIA_REPORT', (enum_range(NULL::source_reliability))[1 + n % 6],
      CASE WHEN n % 3 > 0 THEN day END, marking, organisation, audience, retracted_at, created_at FROM marks`;

/** Readers whose access seams differ: by clearance only, with an organisation (AMBER+STRICT), and with RED audiences. */
const VIEWERS: Record<string, Viewer> = {
  CLEAR: { principal: 'test-org/clear', organisation: 'test-org', role: Role.VIEWER, clearance: Marking.CLEAR },
  GREEN: { principal: 'test-org/green', organisation: 'test-org', role: Role.ADMIN, clearance: Marking.GREEN },
  RED: { principal: 'test-org/reader', organisation: 'test-org', role: Role.VIEWER, clearance: Marking.RED },
};

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Sort Method'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  Plans?: PlanNode[];
}

/** What in the plan reads a whole big table: a sequential scan of it, or a sort that took in more than a page. */
function wholeTableReads(plan: PlanNode): string[] {
  const found: string[] = [];
  const walk = (node: PlanNode) => {
    if (node['Node Type'] === 'Seq Scan' && BIG_TABLES.includes(node['Relation Name'] ?? '')) found.push(`Seq Scan on ${node['Relation Name']}`);
    if (node['Node Type'] === 'Sort' && node['Sort Method'] !== 'top-N heapsort') {
      const input = node.Plans?.[0];
      const rows = (input?.['Actual Rows'] ?? 0) * (input?.['Actual Loops'] ?? 1);
      if (rows > 1000) found.push(`Sort (${node['Sort Method']}) of ${rows} rows`);
    }
    node.Plans?.forEach(walk);
  };
  walk(plan);
  return found;
}

let server: TestServer;
let schema: GraphQLSchema;
beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_POINTS: '100000' });
  schema = await buildDossierSchema();
  // Generated rows, not written through the service: its triggers (history, rollup, search) have no part in reading.
  // A client of its own, without the service's timeouts.
  const client = new Client({ connectionString: server.databaseUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query('SET LOCAL session_replication_role = replica');
    await client.query(GENERATE);
    await client.query('COMMIT');
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}, 600_000);
afterAll(() => server?.close());

/** The plan problems of `query` as the service sends it for `viewer`, run with EXPLAIN ANALYZE. */
async function problems(query: string, variables: Record<string, unknown>, viewer: Viewer): Promise<string[]> {
  const [{ statement }] = await compileOperation(schema, parse(query), { variables, viewer, pageSize: TEST_PAGE_SIZE });
  if (!statement) throw new Error('no statement');
  const [{ 'QUERY PLAN': plans }] = await server.dataSource.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${statement.text}`, statement.params);
  return wholeTableReads((plans as Array<{ Plan: PlanNode }>)[0].Plan);
}

/**
 * Every page shape of one connection and ordering: first page and after a cursor, forward and backward, for each
 * reader. `select` is the selection that holds the connection field given its arguments, `pick` finds it in the data.
 */
async function pageProblems(
  select: (args: string, selection: string) => string,
  pick: (data: any) => any,
  orderType: string,
  field: string,
  direction: string,
) {
  const args = 'first: $first, last: $last, after: $after, before: $before, orderBy: $order';
  const selection = `{ nodes { id } edges { cursor } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }`;
  const query = `query ($order: ${orderType}, $first: Int, $last: Int, $after: String, $before: String) { ${select(args, selection)} }`;
  const order = { field, direction };
  // A cursor from the middle of the first page of a real answer.
  const cursor = pick(dataOf(await server.gql(query, { order, first: 50 }))).edges[25].cursor;
  const shapes: Array<[string, Record<string, unknown>]> = [
    ['first: 50', { first: 50 }],
    ['first: 50, after', { first: 50, after: cursor }],
    ['last: 50', { last: 50 }],
    ['last: 50, before', { last: 50, before: cursor }],
  ];
  const found: string[] = [];
  for (const [viewerName, viewer] of Object.entries(VIEWERS)) {
    for (const [shape, variables] of shapes) {
      for (const problem of await problems(query, { order, ...variables }, viewer)) found.push(`${viewerName} ${shape}: ${problem}`);
    }
  }
  return found;
}

const roots = [...readModels.values()].filter((m) => m.root?.list);
const bothWays = (fields: string[]) => fields.flatMap((field) => ['ASC', 'DESC'].map((direction) => [field, direction] as const));
const cases = roots.flatMap((m) =>
  bothWays(Object.keys(m.orderFields)).map(([field, direction]) => [m.root!.list!.name, m.typeName, field, direction] as const),
);

test('every root list is checked', () => {
  expect(roots.map((m) => m.root!.list!.name).sort()).toEqual([
    'actors',
    'capabilities',
    'challenges',
    'events',
    'implications',
    'relations',
    'sources',
    'topics',
  ]);
});

test.each(cases)('%s (%s) by %s %s reads no big table whole', async (list, typeName, field, direction) => {
  expect(
    await pageProblems(
      (args, selection) => `${list}(${args}) ${selection}`,
      (data) => data[list],
      `${typeName}Order`,
      field,
      direction,
    ),
  ).toEqual([]);
});

test.each(bothWays(Object.keys(statementOrdering.orderFields)))('statements by %s %s reads no big table whole', async (field, direction) => {
  expect(
    await pageProblems(
      (args, selection) => `statements(${args}) ${selection}`,
      (data) => data.statements,
      'StatementOrder',
      field,
      direction,
    ),
  ).toEqual([]);
});

test.each(bothWays(['CATEGORY', 'CREATED_AT']))('an actor with many capabilities lists them by %s %s without sorting them all', async (field, direction) => {
  const id = Buffer.from(`Actor:${RUSSIA}`).toString('base64');
  const select = (args: string, selection: string) => `actor(id: "${id}") { capabilities(${args}) ${selection} }`;
  const found = await pageProblems(select, (data) => data.actor.capabilities, 'CapabilityOrder', field, direction);
  expect(found).toEqual([]);
});
