import { Marking } from '../src/common/marking';
import { fixtureId } from '../src/modules/fixture/fixture.ids';
import { createKey } from '../src/modules/identity/api-key.service';
import { Role } from '../src/modules/identity/role';
import { addMarkedLayer, globalIds } from './support/marked-layer';
import { dataOf, startTestServer, TestServer } from './support/server';

const russiaUuid = fixtureId('actor', 'russia');

let server: TestServer;
let amberKey: string;
beforeAll(async () => {
  // Walking every connection both ways takes more requests than one identity's default minute allows.
  server = await startTestServer({ RATE_LIMIT_POINTS: '100000' });
  // AMBER items among GREEN ones: the GREEN reader of `gql` must never see, count or locate them.
  await addMarkedLayer(server.dataSource);
  ({ key: amberKey } = await createKey(server.dataSource.manager, {
    name: 'pagination-amber',
    role: Role.ADMIN,
    clearance: Marking.AMBER,
    organisation: 'test-org',
  }));
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
      timeline: events(filter: { occurredFrom: "2024-08-01", occurredTo: "2024-10-31" }) { nodes { occurredFrom occurredTo } }
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
  // An event is in the window when its date's interval overlaps it.
  for (const e of data.timeline.nodes) expect(e.occurredFrom <= '2024-10-31' && e.occurredTo >= '2024-08-01').toBe(true);
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
  OCCURRED_ON: 'timestamp',
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

/** One connection to walk: the query of a page given `$first/$after/$last/$before`, how to read the page, and item keys. */
interface Walkable {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  read: (data: any) => { items: Array<{ cursor: string; key: string }>; pageInfo: any; totalCount: number };
  /** The change feed keeps `after` as endCursor of an empty forward page, so a sync resumes from it. */
  keepsAfter?: boolean;
}

const PAGE_ARGS = '$first: Int, $after: String, $last: Int, $before: String';
const ARGS = 'first: $first, after: $after, last: $last, before: $before';
const edgesOf = (connection: any) => ({
  items: connection.edges.map((e: any) => ({ cursor: e.cursor, key: e.node.id })),
  pageInfo: connection.pageInfo,
  totalCount: connection.totalCount,
});
const INFO = 'totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }';
const root = (field: string, extra = ''): Walkable => ({
  name: field,
  query: `query(${PAGE_ARGS}) { ${field}(${ARGS}${extra}) { ${INFO} edges { cursor node { id } } } }`,
  read: (data) => edgesOf(data[field]),
});

async function walkables(): Promise<Walkable[]> {
  const { sources } = dataOf(await server.gql('{ sources { nodes { id citations { totalCount } } } }'));
  const source = sources.nodes.find((s: { citations: { totalCount: number } }) => s.citations.totalCount > 2).id;
  const russia = dataOf(await server.gql('{ actors(filter: { search: "Russia", kinds: ["STATE"] }) { nodes { id } } }')).actors.nodes[0].id;
  const nested = (name: string, parent: string, field: string, id: string): Walkable => ({
    name,
    query: `query(${PAGE_ARGS}, $id: ID!) { parent: ${parent}(id: $id) { ${field}(${ARGS}) { ${INFO} edges { cursor node { id } } } } }`,
    variables: { id },
    read: (data) => edgesOf(data.parent[field]),
  });
  const changeItems = (data: any) => ({
    items: data.feed.edges.map((e: any) => ({ cursor: e.cursor, key: e.cursor })),
    pageInfo: data.feed.pageInfo,
    totalCount: -1,
  });
  return [
    ...['actors', 'capabilities', 'challenges', 'implications', 'events', 'sources', 'relations', 'topics', 'statements'].map((f) => root(f)),
    root('actors', ', orderBy: { field: NAME, direction: DESC }'),
    root('statements', ', orderBy: { field: UPDATED_AT, direction: ASC }, filter: { maxSources: 1 }'),
    nested('source.citations', 'source', 'citations', source),
    nested('actor.capabilities', 'actor', 'capabilities', russia),
    nested('actor.relations', 'actor', 'relations', russia),
    nested('actor.parts', 'actor', 'parts', russia),
    {
      name: 'search',
      query: `query(${PAGE_ARGS}) { search(query: "korea", ${ARGS}) { ${INFO} nodes { cursor type item { id } } } }`,
      read: (data) => ({
        items: data.search.nodes.map((n: any) => ({ cursor: n.cursor, key: `${n.type}:${n.item.id}` })),
        pageInfo: data.search.pageInfo,
        totalCount: data.search.totalCount,
      }),
    },
    {
      name: 'changes',
      query: `query(${PAGE_ARGS}) { feed: changes(${ARGS}) { edges { cursor } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`,
      read: changeItems,
      keepsAfter: true,
    },
    {
      name: 'history',
      query: `query(${PAGE_ARGS}, $id: ID!) { feed: history(id: $id, ${ARGS}) { edges { cursor } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`,
      variables: { id: russia },
      read: changeItems,
      keepsAfter: true,
    },
  ];
}

async function pageOf(w: Walkable, page: Record<string, unknown>) {
  const response = await server.gql(w.query, { ...w.variables, ...page });
  expect({ name: w.name, page, errors: response.body.errors }).toEqual({ name: w.name, page, errors: undefined });
  return w.read(response.body.data);
}

test('every connection walks forward and backward through the same sequence, with page info right both ways', async () => {
  // Make sure the item history has more than one change.
  const russia = dataOf(await server.gql('{ actors(filter: { search: "Russia", kinds: ["STATE"] }) { nodes { id version } } }')).actors.nodes[0];
  for (const summary of ['first edit', 'second edit']) {
    const r = await server.gql(`mutation($id: ID!) { updateActor(id: $id, input: { description: "${summary}" }) { version } }`, { id: russia.id });
    expect(r.body.errors).toBeUndefined();
  }
  for (const w of await walkables()) {
    const all: Array<{ cursor: string; key: string }> = [];
    for (let page = await pageOf(w, { first: 100 }); ; page = await pageOf(w, { first: 100, after: page.pageInfo.endCursor })) {
      all.push(...page.items);
      if (!page.pageInfo.hasNextPage) break;
    }
    expect({ name: w.name, empty: all.length === 0 }).toEqual({ name: w.name, empty: false });
    const size = Math.min(100, Math.max(1, Math.floor(all.length / 3)));
    const forward: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 200; i++) {
      const page = await pageOf(w, { first: size, after });
      const keys = page.items.map((x) => x.key);
      expect({ name: w.name, keys }).toEqual({ name: w.name, keys: all.slice(forward.length, forward.length + size).map((x) => x.key) });
      expect({ name: w.name, info: page.pageInfo }).toEqual({
        name: w.name,
        info: {
          hasPreviousPage: forward.length > 0,
          hasNextPage: forward.length + keys.length < all.length,
          startCursor: page.items[0]?.cursor ?? null,
          endCursor: page.items.at(-1)?.cursor ?? (w.keepsAfter ? after : null),
        },
      });
      forward.push(...keys);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect({ name: w.name, forward }).toEqual({ name: w.name, forward: all.map((x) => x.key) });

    const backward: string[] = [];
    let before: string | null = null;
    for (let i = 0; i < 200; i++) {
      const page = await pageOf(w, { last: size, before });
      const keys = page.items.map((x) => x.key);
      const end = all.length - backward.length;
      expect({ name: w.name, keys }).toEqual({ name: w.name, keys: all.slice(Math.max(0, end - size), end).map((x) => x.key) });
      expect({ name: w.name, info: page.pageInfo }).toEqual({
        name: w.name,
        info: {
          hasPreviousPage: end - keys.length > 0,
          hasNextPage: backward.length > 0,
          startCursor: page.items[0]?.cursor ?? null,
          endCursor: page.items.at(-1)?.cursor ?? null,
        },
      });
      backward.unshift(...keys);
      if (!page.pageInfo.hasPreviousPage) break;
      before = page.pageInfo.startCursor;
    }
    expect({ name: w.name, backward }).toEqual({ name: w.name, backward: all.map((x) => x.key) });

    // A window between two cursors, and the items just before one, in the connection's order.
    const [i, j] = [0, Math.min(all.length - 1, 3)];
    const between = await pageOf(w, { first: 100, after: all[i].cursor, before: all[j].cursor });
    expect({ name: w.name, between: between.items.map((x) => x.key) }).toEqual({ name: w.name, between: all.slice(i + 1, j).map((x) => x.key) });
    const justBefore = await pageOf(w, { last: 2, before: all[j].cursor });
    expect({ name: w.name, justBefore: justBefore.items.map((x) => x.key) }).toEqual({
      name: w.name,
      justBefore: all.slice(Math.max(0, j - 2), j).map((x) => x.key),
    });
    if (all.length <= 100 && between.totalCount >= 0) expect(between.totalCount).toBe(all.length);
  }
});

test('every connection of the schema takes first, after, last and before', async () => {
  const { __schema } = dataOf(await server.gql('{ __schema { types { name fields { name args { name } type { name ofType { name } } } } } }'));
  const connections: string[] = [];
  for (const type of __schema.types) {
    for (const field of type.fields ?? []) {
      const returned = field.type.name ?? field.type.ofType?.name;
      if (!returned?.endsWith('Connection')) continue;
      connections.push(`${type.name}.${field.name}`);
      expect({ field: `${type.name}.${field.name}`, args: field.args.map((a: { name: string }) => a.name) }).toEqual({
        field: `${type.name}.${field.name}`,
        args: expect.arrayContaining(['first', 'after', 'last', 'before']),
      });
    }
  }
  expect(connections).toEqual(
    expect.arrayContaining(['Query.statements', 'Query.search', 'Query.changes', 'Query.history', 'Actor.parts', 'Source.citations']),
  );
});

test('bad page arguments are BAD_USER_INPUT on every kind of connection, never a server error', async () => {
  const bad: Array<[Record<string, unknown>, string]> = [
    [{ first: 1, last: 1 }, 'last'],
    [{ last: -1 }, 'last'],
    [{ last: 101 }, 'last'],
    [{ first: -1 }, 'first'],
    [{ last: 1, before: 'garbage' }, 'before'],
    [{ first: 1, after: 'garbage' }, 'after'],
  ];
  for (const w of await walkables()) {
    for (const [page, argumentName] of bad) {
      const response = await server.gql(w.query, { ...w.variables, ...page });
      expect(response.status).toBeLessThan(500);
      const errors = response.body.errors?.map((e) => [e.extensions?.code, e.extensions?.argumentName]);
      expect({ name: w.name, page, errors }).toEqual({ name: w.name, page, errors: [['BAD_USER_INPUT', argumentName]] });
    }
    // A cursor of another kind of connection (search's, the feed's) is refused as `before` too.
    const other =
      w.name === 'search' ? Buffer.from('change:1:1').toString('base64') : Buffer.from(JSON.stringify(['search', 0.5, 'ACTOR', russiaUuid])).toString('base64');
    const response = await server.gql(w.query, { ...w.variables, last: 1, before: other });
    expect({ name: w.name, code: response.body.errors?.[0]?.extensions?.code }).toEqual({ name: w.name, code: 'BAD_USER_INPUT' });
  }
});

test('paging either way, a reader never sees or counts what is above it, and a cursor of a more-cleared reader tells it nothing', async () => {
  const PAGE = `query($first: Int, $after: String, $last: Int, $before: String) {
    capabilities(first: $first, after: $after, last: $last, before: $before, orderBy: { field: CREATED_AT }) {
      totalCount edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage }
    }
  }`;
  const read = async (key: string, page: Record<string, unknown>) => dataOf(await server.gqlAs(key, PAGE, page)).capabilities;
  const ids = (c: any): string[] => c.edges.map((e: any) => e.node.id);
  const amber = await read(amberKey, { first: 100 });
  const green = await read(server.key, { first: 100 });
  expect(ids(amber)).toContain(globalIds.amberCapability);
  expect(ids(green)).not.toContain(globalIds.amberCapability);
  expect(green.totalCount).toBe(ids(green).length);
  expect(amber.totalCount).toBeGreaterThan(green.totalCount);
  const backward = await read(server.key, { last: 100 });
  expect(ids(backward)).toEqual(ids(green));
  expect(backward.totalCount).toBe(green.totalCount);

  // Around the cursor of every item only AMBER readers see: exactly the GREEN items on each side, flags from them only.
  const hiddenAt = amber.edges.flatMap((e: any, i: number) => (ids(green).includes(e.node.id) ? [] : [i]));
  expect(hiddenAt.length).toBeGreaterThan(0);
  for (const i of hiddenAt) {
    const cursor = amber.edges[i].cursor;
    const visible = (list: string[]) => list.filter((id) => ids(green).includes(id));
    const [before, after] = [visible(ids(amber).slice(0, i)), visible(ids(amber).slice(i + 1))];
    const next = await read(server.key, { first: 100, after: cursor });
    expect(ids(next)).toEqual(after);
    expect(next.pageInfo.hasPreviousPage).toBe(before.length > 0);
    expect(next.totalCount).toBe(green.totalCount);
    const previous = await read(server.key, { last: 100, before: cursor });
    expect(ids(previous)).toEqual(before);
    expect(previous.pageInfo.hasNextPage).toBe(after.length > 0);
  }
});
