import { dataOf, startTestServer, TestServer } from './support/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const PAGE = `query($after: String, $direction: OrderDirection!) {
  actors(first: 5, after: $after, orderBy: { field: NAME, direction: $direction }) {
    totalCount
    edges { cursor node { name } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

async function walk(direction: 'ASC' | 'DESC') {
  const names: string[] = [];
  let after: string | null = null;
  for (let page = 0; page < 20; page++) {
    const { actors } = dataOf(await server.gql(PAGE, { after, direction }));
    names.push(...actors.edges.map((e: { node: { name: string } }) => e.node.name));
    expect(actors.pageInfo.hasPreviousPage).toBe(after !== null);
    expect(actors.pageInfo.startCursor).toBe(actors.edges[0]?.cursor ?? null);
    if (!actors.pageInfo.hasNextPage) return { names, total: actors.totalCount };
    after = actors.pageInfo.endCursor;
  }
  throw new Error('pagination did not end');
}

test('walking the pages with cursors visits every actor once, in order, both ways', async () => {
  const all = dataOf(await server.gql('{ actors { totalCount nodes { name } } }')).actors;
  const ascending = await walk('ASC');
  expect(ascending.total).toBe(all.totalCount);
  expect(ascending.names).toEqual(all.nodes.map((n: { name: string }) => n.name));
  expect((await walk('DESC')).names).toEqual([...ascending.names].reverse());
});

test('filters narrow lists the way an analyst means them', async () => {
  const data = dataOf(
    await server.gql(`{
      all: capabilities { totalCount }
      credible: events(filter: { minCredibility: 1 }) { nodes { citations { credibility } } }
      reliable: events(filter: { minReliability: B }) { nodes { citations { source { reliability } } } }
      likely: implications(filter: { likelihoodAtLeast: LIKELY }) { nodes { likelihood } }
      states: actors(filter: { kinds: [STATE], search: "korea" }) { nodes { name kind } }
      corroborated: events(filter: { minSources: 2 }) { nodes { sourceCount } }
      timeline: events(filter: { occurredFrom: "2024-08-01", occurredTo: "2024-10-31" }) { nodes { occurredOn } }
      sources(filter: { minReliability: B, topic: "dprk-troops-in-russia" }) { nodes { reliability } }
    }`),
  );
  expect(data.all.totalCount).toBeGreaterThan(0);
  expect(data.credible.nodes.length).toBeGreaterThan(0);
  for (const e of data.credible.nodes) expect(e.citations.some((c: { credibility: number }) => c.credibility === 1)).toBe(true);
  for (const e of data.reliable.nodes) expect(e.citations.some((c: any) => ['A', 'B'].includes(c.source.reliability))).toBe(true);
  expect(data.likely.nodes.length).toBeGreaterThan(0);
  for (const i of data.likely.nodes) expect(['LIKELY', 'VERY_LIKELY', 'ALMOST_CERTAIN']).toContain(i.likelihood);
  expect(data.states.nodes.map((a: { name: string }) => a.name).sort()).toEqual(['North Korea', 'South Korea']);
  expect(data.corroborated.nodes.length).toBeGreaterThan(0);
  for (const e of data.corroborated.nodes) expect(e.sourceCount).toBeGreaterThanOrEqual(2);
  expect(data.timeline.nodes.length).toBeGreaterThan(0);
  for (const e of data.timeline.nodes) expect(e.occurredOn >= '2024-08-01' && e.occurredOn <= '2024-10-31').toBe(true);
  expect(data.sources.nodes.length).toBeGreaterThan(0);
  for (const s of data.sources.nodes) expect(['A', 'B']).toContain(s.reliability);
});

test('aliases of one field with different arguments each get their own answer', async () => {
  const data = dataOf(
    await server.gql(`{ topic(slug: "dprk-troops-in-russia") {
      likely: implications(filter: { likelihoodAtLeast: LIKELY }) { totalCount }
      all: implications { totalCount }
      title
      heading: title
    } }`),
  );
  expect(data.topic.all.totalCount).toBeGreaterThan(data.topic.likely.totalCount);
  expect(data.topic.heading).toBe(data.topic.title);
});
