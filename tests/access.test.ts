import { addMarkedLayer, AMBER_STATEMENT, globalIds } from './support/marked-layer';
import { dataOf, startTestServer, TestServer } from './support/server';

// The viewer's clearance decides what exists for them: AMBER items never reach a GREEN viewer, on any path.
let green: TestServer;
let amber: TestServer;

beforeAll(async () => {
  [green, amber] = await Promise.all([startTestServer({ VIEWER_CLEARANCE: 'GREEN' }), startTestServer({ VIEWER_CLEARANCE: 'AMBER' })]);
  await Promise.all([addMarkedLayer(green.dataSource), addMarkedLayer(amber.dataSource)]);
});
afterAll(() => Promise.all([green.close(), amber.close()]));

const EVERY_PATH = `query($kpa: ID!) {
  capabilities(filter: { topic: "dprk-troops-in-russia" }) { totalCount nodes { statement } }
  filtered: capabilities(filter: { markingAtMost: RED, categories: ["SPECIAL_OPERATIONS"] }) { totalCount nodes { statement } }
  topic(slug: "dprk-troops-in-russia") {
    capabilities { totalCount nodes { statement actor { name } } }
    actors(filter: { search: "reconnaissance" }) { totalCount nodes { name } }
  }
  actor(id: $kpa) { capabilities { totalCount edges { node { statement citations { quote } } } } }
  sources { nodes { citations { totalCount nodes { quote statement { ... on Capability { statement } } } } } }
}`;

test('a GREEN viewer sees no AMBER item in lists, nested fields, filters or counts', async () => {
  const response = await green.gql(EVERY_PATH, { kpa: globalIds.kpa });
  const body = JSON.stringify(dataOf(response));
  expect(body).not.toContain(AMBER_STATEMENT);
  expect(body).not.toContain('AMBER reconnaissance battalion');
  expect(body).not.toContain('amber-only quote');

  const data = response.body.data;
  const amberView = dataOf(await amber.gql(EVERY_PATH, { kpa: globalIds.kpa }));
  expect(amberView.capabilities.totalCount).toBe(data.capabilities.totalCount + 1);
  expect(amberView.topic.capabilities.totalCount).toBe(data.topic.capabilities.totalCount + 1);
  expect(amberView.actor.capabilities.totalCount).toBe(data.actor.capabilities.totalCount + 1);
  expect(data.filtered.totalCount).toBe(amberView.filtered.totalCount - 1);
  expect(data.topic.actors.totalCount).toBe(0);
  expect(amberView.topic.actors.nodes).toEqual([{ name: 'AMBER reconnaissance battalion' }]);
  expect(JSON.stringify(amberView)).toContain(AMBER_STATEMENT);
  expect(JSON.stringify(amberView)).toContain('amber-only quote');
});

test('a GREEN statement about an AMBER actor shows, but its actor reads as null', async () => {
  const query = `query($id: ID!) { node(id: $id) { ... on Capability { statement actor { name } } } }`;
  expect(dataOf(await green.gql(query, { id: globalIds.capabilityOfAmberActor })).node).toEqual({
    statement: 'A GREEN statement about an AMBER actor.',
    actor: null,
  });
  expect(dataOf(await amber.gql(query, { id: globalIds.capabilityOfAmberActor })).node.actor).toEqual({
    name: 'AMBER reconnaissance battalion',
  });
});

test('a citation is read only by those who may read its statement, whatever its own marking', async () => {
  const query = `{ sources { nodes { citations(filter: { verbs: [ASSESSES] }) { nodes { quote statement { __typename } } } } } }`;
  const quotes = async (server: TestServer) => dataOf(await server.gql(query)).sources.nodes.flatMap((s: any) => s.citations.nodes);
  // 'amber quote' is marked CLEAR, but cites the AMBER capability.
  expect((await quotes(green)).find((c: any) => c.quote === 'amber quote')).toBeUndefined();
  expect((await quotes(amber)).find((c: any) => c.quote === 'amber quote')).toEqual({ quote: 'amber quote', statement: { __typename: 'Capability' } });
});

test('node and lookups by id answer NOT_FOUND for an item above clearance, as for one that does not exist', async () => {
  for (const [query, id] of [
    ['query($id: ID!) { node(id: $id) { id } }', globalIds.amberCapability],
    ['query($id: ID!) { actor(id: $id) { name } }', globalIds.amberActor],
  ]) {
    const hidden = await green.gql(query, { id });
    expect(hidden.body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(JSON.stringify(hidden.body)).not.toContain('AMBER');
    expect(Object.values(dataOf(await amber.gql(query, { id })))[0]).not.toBeNull();
  }
  const missing = await green.gql('query($id: ID!) { node(id: $id) { id } }', {
    id: Buffer.from('Capability:00000000-0000-4000-8000-0000000fffff').toString('base64'),
  });
  expect(missing.body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
});
