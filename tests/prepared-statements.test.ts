import { PER_CONNECTION } from '../src/db/prepared';
import { fixtureId } from '../src/modules/fixture/fixture.ids';
import { toGlobalId } from '../src/read/global-id';
import { dataOf, startTestServer, type TestServer } from './support/server';

// The read path's statements are sent as named prepared statements once seen twice: parsed and planned once per
// connection. One connection here, so the test reads the very session the service's statements ran in.
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ DB_POOL_MAX: '1', RESPONSE_CACHE_BYTES: '0', MAX_PAGE_SIZE: '500' });
});
afterAll(() => server.close());

const prepared = async (): Promise<Array<{ name: string; statement: string }>> =>
  server.dataSource.query(`SELECT name, statement FROM pg_prepared_statements WHERE name LIKE 'dossier\\_%' ORDER BY prepare_time`);

const PROFILE = `query($id: ID!) { actor(id: $id) { name capabilities { totalCount nodes { statement } } } }`;

test('a repeated operation is prepared once and executed again with new values', async () => {
  expect(await prepared()).toEqual([]);
  const ids = [
    toGlobalId('Actor', fixtureId('actor', 'korean-peoples-army')),
    toGlobalId('Actor', fixtureId('actor', 'russia')),
    toGlobalId('Actor', fixtureId('actor', 'korean-peoples-army')),
  ];
  const answers = [];
  for (const id of ids) answers.push(dataOf(await server.gql(PROFILE, { id })).actor);
  expect(answers[2]).toEqual(answers[0]);
  expect(answers[1].name).not.toEqual(answers[0].name);
  const statements = await prepared();
  // The first request sent it unnamed; the second prepared it, the third reused it with the first actor's id.
  expect(statements).toHaveLength(1);
  expect(statements[0].statement).toMatch(/\$1::uuid/);
  const executions = await server.dataSource.query(`SELECT generic_plans + custom_plans AS n FROM pg_prepared_statements WHERE name = $1`, [
    statements[0].name,
  ]);
  expect(Number(executions[0].n)).toBe(2);
});

test(`a connection prepares at most ${PER_CONNECTION} statements; the rest run unnamed, with the same answers`, async () => {
  // Each page size is a statement text of its own (LIMIT is inlined).
  const shapes = Array.from({ length: PER_CONNECTION + 20 }, (_, i) => `{ sources(first: ${i + 1}) { nodes { id } } }`);
  const first = [];
  for (const shape of shapes) first.push(dataOf(await server.gql(shape)));
  for (const [i, shape] of shapes.entries()) expect(dataOf(await server.gql(shape))).toEqual(first[i]);
  expect(first.at(-1).sources.nodes.length).toBeGreaterThan(5);
  expect(await prepared()).toHaveLength(PER_CONNECTION);
});

test('DB_PREPARED_STATEMENTS=off prepares nothing', async () => {
  const unprepared = await startTestServer({ DB_POOL_MAX: '1', RESPONSE_CACHE_BYTES: '0', DB_PREPARED_STATEMENTS: 'off' });
  try {
    const query = '{ actors(first: 3) { nodes { name } } }';
    for (let i = 0; i < 3; i++) dataOf(await unprepared.gql(query));
    expect(await unprepared.dataSource.query(`SELECT name FROM pg_prepared_statements`)).toEqual([]);
  } finally {
    await unprepared.close();
  }
});
