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
      states: actors(filter: { kinds: ["STATE"], search: "korea" }) { nodes { name kind } }
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

/** Every connection, its order field type and some of its orderings; citations are a source's (a nested connection). */
const ORDERINGS: Array<[string, string, string[]]> = [
  ['actors', 'ActorOrderField', ['NAME', 'CREATED_AT', 'UPDATED_AT']],
  ['capabilities', 'CapabilityOrderField', ['CATEGORY', 'CREATED_AT']],
  ['challenges', 'ChallengeOrderField', ['CATEGORY']],
  ['implications', 'ImplicationOrderField', ['LIKELIHOOD', 'CONFIDENCE', 'AS_OF', 'UPDATED_AT']],
  ['events', 'EventOrderField', ['OCCURRED_ON', 'CREATED_AT']],
  ['sources', 'SourceOrderField', ['NAME', 'PUBLISHED_ON', 'RELIABILITY']],
  ['relations', 'RelationOrderField', ['TYPE', 'VALID_FROM']],
  ['topics', 'TopicOrderField', ['TITLE', 'STARTS_ON']],
  ['citations', 'CitationOrderField', ['CREDIBILITY', 'CREATED_AT']],
];

/** Pages of `connection` after `$after`, ordered by `$field`, one for each selection, and how to find them in the data. */
function pageQuery(connection: string, orderType: string, ...selections: string[]) {
  const pages = selections.map((s, i) => `page${i}: ${connection}(first: 1, after: $after, orderBy: { field: $field }) { ${s} }`).join(' ');
  const variables = `$after: String, $field: ${orderType}!`;
  const nested = connection === 'citations';
  return {
    query: nested ? `query(${variables}, $source: ID!) { source(id: $source) { ${pages} } }` : `query(${variables}) { ${pages} }`,
    read: (data: any) => selections.map((_, i) => (nested ? data.source : data)[`page${i}`]),
  };
}

test('a page after a cursor, or only its count, works for every ordering of every connection, nested ones too', async () => {
  const { sources } = dataOf(await server.gql('{ sources { nodes { id citations { totalCount } } } }'));
  const source = sources.nodes.find((s: { citations: { totalCount: number } }) => s.citations.totalCount > 1).id;
  for (const [connection, orderType, fields] of ORDERINGS) {
    const ask = async (selection: string, variables: Record<string, unknown>) => {
      const { query, read } = pageQuery(connection, orderType, selection);
      const response = await server.gql(query, { ...variables, source });
      expect({ connection, ...variables, errors: response.body.errors }).toEqual({ connection, ...variables, errors: undefined });
      return read(response.body.data)[0];
    };
    for (const field of fields) {
      const start = await ask('totalCount pageInfo { endCursor }', { after: null, field });
      const after = start.pageInfo.endCursor;
      expect(after).not.toBeNull();
      // The count is of the whole connection, whatever the page.
      expect((await ask('totalCount nodes { id }', { after, field })).totalCount).toBe(start.totalCount);
      expect((await ask('totalCount', { after, field })).totalCount).toBe(start.totalCount);
    }
  }
  // A count alone still checks the cursor.
  const garbage = await server.gql('{ implications(first: 1, after: "garbage") { totalCount } }');
  expect(garbage.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'after' });
});

/** Values that no row can have for an ordering, by the kind of value it orders by. */
const WRONG_VALUES: Record<string, unknown[]> = {
  text: [42, null, { a: 1 }, 'with a \u0000 inside'],
  enum: ['NOT_A_VALUE', 3, 'LIKELY\u0000'],
  date: ['0000-01-01', '2024-02-30', '10000-01-01', 'soon', 20240101, '2024-01-01\u0000'],
  timestamp: ['yesterday', '0000-01-01T00:00:00+00:00', '2024-13-01T00:00:00+00:00', '2024-01-01T25:00:00+00:00', '2024-01-01T00:00:00+16', 1e308],
  smallint: ['2', 1.5, 40000, 1e308, null],
  // A scale that may be not assessed orders by rank: 0 (none) up to its number of grades.
  rank: ['LOW', -1, 4, 1.5, '2', null],
};
const KIND: Record<string, keyof typeof WRONG_VALUES> = {
  NAME: 'text',
  TITLE: 'text',
  CATEGORY: 'smallint',
  LIKELIHOOD: 'enum',
  CONFIDENCE: 'rank',
  RELIABILITY: 'enum',
  TYPE: 'smallint',
  OCCURRED_ON: 'date',
  PUBLISHED_ON: 'date',
  AS_OF: 'date',
  VALID_FROM: 'date',
  STARTS_ON: 'date',
  CREATED_AT: 'timestamp',
  UPDATED_AT: 'timestamp',
  CREDIBILITY: 'smallint',
};

test('a cursor carrying a value its ordering cannot have is BAD_USER_INPUT on after, for pages and counts alike', async () => {
  const source = dataOf(await server.gql('{ sources(first: 1) { nodes { id } } }')).sources.nodes[0].id;
  const id = '00000000-0000-4000-8000-000000000001';
  for (const [connection, orderType, fields] of ORDERINGS) {
    for (const field of fields) {
      for (const value of WRONG_VALUES[KIND[field]]) {
        const after = Buffer.from(JSON.stringify([field, value, id])).toString('base64');
        for (const selection of ['nodes { id }', 'totalCount']) {
          const response = await server.gql(pageQuery(connection, orderType, selection).query, { after, field, source });
          const errors = response.body.errors?.map((e) => [e.extensions?.code, e.extensions?.argumentName]);
          expect({ connection, field, value, selection, errors }).toEqual({ connection, field, value, selection, errors: [['BAD_USER_INPUT', 'after']] });
        }
      }
    }
  }
});
