import { Marking } from '../src/common/marking';
import { fixtureId } from '../src/modules/fixture/fixture.ids';
import { createKey } from '../src/modules/identity/api-key.service';
import { Role } from '../src/modules/identity/role';
import { toGlobalId } from '../src/read/global-id';
import { addMarkedLayer, globalIds } from './support/marked-layer';
import { dataOf, startTestServer, TestServer } from './support/server';

// `statements`: every kind in one list, with the filters the per-kind lists share, an actor's parts included on demand.
let server: TestServer;
let amberKey: string;
const northKorea = toGlobalId('Actor', fixtureId('actor', 'north-korea'));
const kpa = toGlobalId('Actor', fixtureId('actor', 'korean-peoples-army'));
const russia = toGlobalId('Actor', fixtureId('actor', 'russia'));

// Units added under the KPA: one AMBER (hidden from GREEN readers) with a GREEN sub-unit, and a chain ten levels deep.
const hiddenUnit = '00000000-0000-4000-8000-0000000b0001';
const unitOfHiddenUnit = '00000000-0000-4000-8000-0000000b0002';
const ofHiddenUnit = '00000000-0000-4000-8000-0000000b0003';
const ofUnitOfHiddenUnit = '00000000-0000-4000-8000-0000000b0004';
const chain = Array.from({ length: 10 }, (_, i) => `00000000-0000-4000-8000-0000000c00${String(i + 1).padStart(2, '0')}`);
const chainStatement = (i: number) => `00000000-0000-4000-8000-0000000d00${String(i + 1).padStart(2, '0')}`;

const PER_KIND = ['capabilities', 'challenges', 'implications', 'events', 'relations'] as const;
const FILTER_TYPES = {
  capabilities: 'CapabilityFilter',
  challenges: 'ChallengeFilter',
  implications: 'ImplicationFilter',
  events: 'EventFilter',
  relations: 'RelationFilter',
} as const;

beforeAll(async () => {
  server = await startTestServer();
  await addMarkedLayer(server.dataSource);
  const db = server.dataSource;
  const topic = fixtureId('topic', 'dprk-troops-in-russia');
  const kpaId = fixtureId('actor', 'korean-peoples-army');
  await db.query(`INSERT INTO actor (id, name, kind, marking, parent_id) VALUES ($1, 'AMBER special unit', 'MILITARY_UNIT', 'AMBER', $2)`, [hiddenUnit, kpaId]);
  await db.query(`INSERT INTO actor (id, name, kind, marking, parent_id) VALUES ($1, 'GREEN detachment of the AMBER unit', 'MILITARY_UNIT', 'GREEN', $2)`, [
    unitOfHiddenUnit,
    hiddenUnit,
  ]);
  const capability = `INSERT INTO capability (id, topic_id, actor_id, category, statement, marking) VALUES ($1, $2, $3, 'TACTICS', $4, 'GREEN')`;
  await db.query(capability, [ofHiddenUnit, topic, hiddenUnit, 'GREEN capability of the AMBER unit.']);
  await db.query(capability, [ofUnitOfHiddenUnit, topic, unitOfHiddenUnit, 'GREEN capability of the detachment of the AMBER unit.']);
  for (const [i, id] of chain.entries()) {
    await db.query(`INSERT INTO actor (id, name, kind, marking, parent_id) VALUES ($1, $2, 'MILITARY_UNIT', 'GREEN', $3)`, [
      id,
      `Level ${i + 2} unit`,
      i === 0 ? kpaId : chain[i - 1],
    ]);
    await db.query(capability, [chainStatement(i), topic, id, `Capability at level ${i + 2} below North Korea.`]);
  }
  ({ key: amberKey } = await createKey(db.manager, { name: 'statements-amber', role: Role.ADMIN, clearance: Marking.AMBER, organisation: 'test-org' }));
});
afterAll(() => server.close());

const STATEMENTS = `query($filter: StatementFilter, $first: Int, $after: String, $last: Int, $before: String, $orderBy: StatementOrder) {
  statements(filter: $filter, first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy) {
    totalCount
    edges { cursor node { __typename id } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

type Page = { totalCount: number; edges: Array<{ cursor: string; node: { __typename: string; id: string } }>; pageInfo: any };

async function statementsAs(key: string | null, variables: Record<string, unknown>): Promise<Page> {
  return dataOf(await server.gqlAs(key, STATEMENTS, { first: 100, ...variables })).statements;
}
const idsOf = (page: Page) => page.edges.map((e) => e.node.id);

/** The ids the per-kind lists give for the same filter and each of `actors`, as one set. */
async function perKindUnion(key: string | null, filter: Record<string, unknown>, actors: string[]) {
  const ids = new Set<string>();
  for (const actor of actors) {
    for (const list of PER_KIND) {
      const type = FILTER_TYPES[list];
      const page = dataOf(
        await server.gqlAs(key, `query($filter: ${type}) { ${list}(first: 100, filter: $filter) { totalCount nodes { id } } }`, {
          filter: { ...filter, actor },
        }),
      )[list];
      expect(page.totalCount).toBe(page.nodes.length);
      for (const n of page.nodes) ids.add(n.id);
    }
  }
  return ids;
}

test('everything single-sourced about North Korea, its units included, is one field and the union of the per-kind lists', async () => {
  const filter = { actor: northKorea, includeParts: true, maxSources: 1 };
  const all = await statementsAs(server.key, { filter });
  expect(all.totalCount).toBe(all.edges.length);
  // The parts a GREEN reader may see: the KPA and the chain below it, eight levels deep at most (the KPA is the first).
  const visibleChain = chain.slice(0, 7).map((id) => toGlobalId('Actor', id));
  const expected = await perKindUnion(server.key, { maxSources: 1 }, [northKorea, kpa, ...visibleChain]);
  expect(new Set(idsOf(all))).toEqual(expected);
  expect(idsOf(all).length).toBe(expected.size);
  // The units widen it: North Korea alone is less, and exactly its per-kind lists.
  const alone = await statementsAs(server.key, { filter: { actor: northKorea, maxSources: 1 } });
  expect(new Set(idsOf(alone))).toEqual(await perKindUnion(server.key, { maxSources: 1 }, [northKorea]));
  expect(alone.totalCount).toBeLessThan(all.totalCount);
  for (const n of all.edges) expect(['Capability', 'Challenge', 'Implication', 'Event', 'ActorRelation']).toContain(n.node.__typename);
  expect(new Set(all.edges.map((e) => e.node.__typename)).size).toBeGreaterThan(1);
});

test('without filters it lists every kind the reader may see, and selects kind-specific fields by fragment', async () => {
  const query = `{ statements(first: 100, orderBy: { field: CREATED_AT }) { totalCount nodes {
    __typename id sourceCount topic { slug }
    ... on Capability { statement actor { name } } ... on Event { title occurredOn } ... on Implication { likelihood }
  } } }`;
  const { statements } = dataOf(await server.gql(query));
  const kinds = dataOf(await server.gql(`{ ${PER_KIND.map((l) => `${l} { totalCount }`).join(' ')} }`));
  expect(statements.totalCount).toBe(PER_KIND.reduce((n, l) => n + kinds[l].totalCount, 0));
  expect(new Set(statements.nodes.map((n: any) => n.__typename))).toEqual(new Set(['Capability', 'Challenge', 'Implication', 'Event', 'ActorRelation']));
  for (const n of statements.nodes) {
    expect(n.topic.slug).toBe('dprk-troops-in-russia');
    if (n.__typename === 'Capability') expect(typeof n.statement).toBe('string');
    if (n.__typename === 'Event') expect(typeof n.title).toBe('string');
    if (n.__typename === 'Implication') expect(typeof n.likelihood).toBe('string');
    if (n.__typename !== 'Event') expect(n.title).toBeUndefined();
  }
  const events = await statementsAs(server.key, { filter: { kinds: ['EVENT'], minSources: 2 } });
  const perKind = dataOf(await server.gql(`{ events(first: 100, filter: { minSources: 2 }) { nodes { id } } }`)).events;
  expect(new Set(idsOf(events))).toEqual(new Set(perKind.nodes.map((n: { id: string }) => n.id)));
});

test('a hidden unit neither lists its statements nor widens the list through the units below it', async () => {
  const filter = { actor: kpa, includeParts: true };
  const green = idsOf(await statementsAs(server.key, { filter }));
  const amber = idsOf(await statementsAs(amberKey, { filter }));
  const hidden = [ofHiddenUnit, ofUnitOfHiddenUnit].map((id) => toGlobalId('Capability', id));
  for (const id of hidden) {
    expect(green).not.toContain(id);
    expect(amber).toContain(id);
  }
  // AMBER statements of the KPA itself: only for the AMBER reader, and never counted for the GREEN one.
  expect(green).not.toContain(globalIds.amberCapability);
  expect(amber).toContain(globalIds.amberCapability);
  const greenCount = (await statementsAs(server.key, { filter, first: 0 })).totalCount;
  expect(greenCount).toBe(green.length);
  expect((await statementsAs(amberKey, { filter, first: 0 })).totalCount).toBe(amber.length);
  expect(amber.filter((id) => !green.includes(id)).length).toBe(amber.length - green.length);
  // What only the AMBER reader is shown, the GREEN one may not read by id either, except the two GREEN statements
  // about the hidden unit and its GREEN detachment: readable alone, but not about the KPA as far as the GREEN reader
  // knows, since the walk down the parts never passes through what the reader may not see.
  for (const id of amber.filter((a) => !green.includes(a) && !hidden.includes(a))) {
    const byId = await server.gql(`query($id: ID!) { node(id: $id) { id } }`, { id });
    expect({ id, code: byId.body.errors?.[0]?.extensions?.code }).toEqual({ id, code: 'NOT_FOUND' });
  }
  for (const id of hidden) expect(dataOf(await server.gql(`query($id: ID!) { node(id: $id) { id } }`, { id })).node.id).toBe(id);
  expect(amber.length).toBeGreaterThanOrEqual(green.length + 3);
  // Asking for the hidden unit itself is as asking for one that does not exist.
  const byHidden = await statementsAs(server.key, { filter: { actor: toGlobalId('Actor', hiddenUnit), includeParts: true } });
  expect(byHidden.totalCount).toBe(0);
  expect(byHidden.edges).toEqual([]);
  // Anonymous readers see CLEAR only.
  const anonymous = await statementsAs(null, { filter });
  expect(anonymous.totalCount).toBeLessThanOrEqual(greenCount);
});

test('parts are followed eight levels down, no further', async () => {
  const filter = { actor: northKorea, includeParts: true, kinds: ['CAPABILITY'] };
  const ids = idsOf(await statementsAs(server.key, { filter }));
  // The KPA is level 1 below North Korea; chain[i] is level i + 2.
  for (const [i] of chain.entries()) {
    expect({ level: i + 2, listed: ids.includes(toGlobalId('Capability', chainStatement(i))) }).toEqual({ level: i + 2, listed: i + 2 <= 8 });
  }
});

test('a cursor from a more-cleared reader tells a less-cleared one nothing', async () => {
  const filter = { actor: kpa, includeParts: true };
  const amber = await statementsAs(amberKey, { filter });
  const green = idsOf(await statementsAs(server.key, { filter }));
  const hiddenIndex = amber.edges.findIndex((e) => !green.includes(e.node.id));
  expect(hiddenIndex).toBeGreaterThanOrEqual(0);
  const cursor = amber.edges[hiddenIndex].cursor;
  const visibleAfter = amber.edges
    .slice(hiddenIndex + 1)
    .map((e) => e.node.id)
    .filter((id) => green.includes(id));
  const visibleBefore = amber.edges
    .slice(0, hiddenIndex)
    .map((e) => e.node.id)
    .filter((id) => green.includes(id));
  const after = await statementsAs(server.key, { filter, after: cursor });
  expect(idsOf(after)).toEqual(visibleAfter);
  expect(after.totalCount).toBe(green.length);
  expect(after.pageInfo.hasPreviousPage).toBe(visibleBefore.length > 0);
  const before = await statementsAs(server.key, { filter, first: null, last: 100, before: cursor });
  expect(idsOf(before)).toEqual(visibleBefore);
  expect(before.pageInfo.hasNextPage).toBe(visibleAfter.length > 0);
});

test('walking statements forward and backward gives the same sequence', async () => {
  for (const orderBy of [null, { field: 'CREATED_AT', direction: 'ASC' }, { field: 'UPDATED_AT', direction: 'DESC' }]) {
    const full = idsOf(await statementsAs(server.key, { orderBy }));
    const forward: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Page = await statementsAs(server.key, { orderBy, first: 7, after });
      forward.push(...idsOf(page));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    const backward: string[][] = [];
    let before: string | null = null;
    for (;;) {
      const page: Page = await statementsAs(server.key, { orderBy, first: null, last: 7, before });
      backward.unshift(idsOf(page));
      if (!page.pageInfo.hasPreviousPage) break;
      before = page.pageInfo.startCursor;
    }
    expect(forward).toEqual(full);
    expect(backward.flat()).toEqual(full);
  }
});

test('bad arguments are BAD_USER_INPUT naming the argument', async () => {
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ filter: { includeParts: true } }, 'filter.includeParts'],
    [{ filter: { kinds: [] } }, 'filter.kinds'],
    [{ filter: { actor: russia.slice(0, 8) } }, 'filter.actor'],
    [{ filter: { actor: toGlobalId('Topic', fixtureId('topic', 'dprk-troops-in-russia')) } }, 'filter.actor'],
    [{ filter: { minCredibility: 9 } }, 'filter.minCredibility'],
    [{ filter: { minSources: -1 } }, 'filter.minSources'],
    [{ first: 1, last: 1 }, 'last'],
    [{ first: -1 }, 'first'],
    [{ first: null, last: -1 }, 'last'],
    [{ first: 101 }, 'first'],
    [{ first: null, last: 101 }, 'last'],
    [{ after: 'garbage' }, 'after'],
    [{ first: null, last: 1, before: 'garbage' }, 'before'],
    // A cursor of another ordering, and one of search.
    [{ after: Buffer.from(JSON.stringify(['NAME', 'Russia', fixtureId('actor', 'russia')])).toString('base64') }, 'after'],
    [{ before: Buffer.from(JSON.stringify(['search', 0.5, 'ACTOR', fixtureId('actor', 'russia')])).toString('base64') }, 'before'],
  ];
  for (const [variables, argumentName] of cases) {
    const response = await server.gql(STATEMENTS, { first: 10, ...variables });
    expect(response.status).toBeLessThan(500);
    const errors = response.body.errors?.map((e) => [e.extensions?.code, e.extensions?.argumentName]);
    expect({ variables, errors }).toEqual({ variables, errors: [['BAD_USER_INPUT', argumentName]] });
  }
});
