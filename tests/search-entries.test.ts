import { Marking } from '../src/common/marking';
import { fixtureId } from '../src/modules/fixture/fixture.ids';
import { createKey } from '../src/modules/identity/api-key.service';
import { Role } from '../src/modules/identity/role';
import { toGlobalId } from '../src/read/global-id';
import { dataOf, startTestServer, type TestServer } from './support/server';

// search_entry (the AddSearchEntries migration) is derived data: after every kind of write each statement has exactly
// the entry its row gives, and search through it counts and lists only what the reader may see.
let server: TestServer;
const keys: Record<string, string> = {};

const TABLES: Array<[string, number]> = [
  ['capability', 1],
  ['challenge', 2],
  ['implication', 3],
  ['event', 4],
  ['actor_relation', 5],
];
const EXPECTED = TABLES.map(
  ([table, kind]) =>
    `SELECT id, ${kind}::smallint AS kind, marking, topic_id, created_at, retracted_at, organisation, nullif(audience, '{}') AS audience,
       coalesce(search_english, '') AS vector FROM ${table}`,
).join(' UNION ALL ');
const ENTRIES = `SELECT id, kind, marking, topic_id, created_at, retracted_at, organisation, audience, vector FROM search_entry`;

/** Entries missing, extra or different from what the statements give, and how many statements there are. */
async function expectInSync() {
  const [r] = await server.dataSource.query(
    `SELECT (SELECT count(*)::int FROM (${EXPECTED}) x) AS rows,
       (SELECT count(*)::int FROM ((${EXPECTED} EXCEPT ALL ${ENTRIES}) UNION ALL (${ENTRIES} EXCEPT ALL (${EXPECTED}))) d) AS wrong`,
  );
  expect(r.wrong).toBe(0);
  expect(r.rows).toBeGreaterThan(0);
}

const SEARCH = `query($q: String!, $filter: SearchFilter, $countLimit: Int, $first: Int, $after: String) {
  search(query: $q, filter: $filter, countLimit: $countLimit, first: $first, after: $after) {
    totalCount totalCountAtLeast { count exact } pageInfo { hasNextPage endCursor } nodes { type item { id } } } }`;
type Result = {
  totalCount: number;
  totalCountAtLeast: { count: number; exact: boolean };
  pageInfo: { hasNextPage: boolean; endCursor: string };
  nodes: Array<{ type: string; item: { id: string } }>;
};
const search = async (key: string, variables: Record<string, unknown>) =>
  dataOf(await server.gqlAs(keys[key], SEARCH, { first: 100, ...variables })).search as Result;
/** What `key` finds for `q`: the count, the bounded count and the ids listed agree. */
const found = async (key: string, q: string, filter?: Record<string, unknown>) => {
  const r = await search(key, { q, filter });
  expect(r.totalCount).toBe(r.nodes.length);
  expect(r.totalCountAtLeast).toEqual({ count: r.nodes.length, exact: true });
  return r.nodes.map((n) => n.item.id);
};
const write = async (query: string, variables: Record<string, unknown>) => {
  const r = await server.gqlAs(keys.admin, query, variables);
  expect(r.body.errors).toBeUndefined();
  return r.body.data;
};

const TOPIC = 'dprk-troops-in-russia';
const ACTOR = toGlobalId('Actor', fixtureId('actor', 'korean-peoples-army'));

beforeAll(async () => {
  server = await startTestServer();
  const key = async (name: string, role: Role, clearance: Marking, organisation: string) =>
    (await createKey(server.dataSource.manager, { name, role, clearance, organisation })).key;
  keys.admin = await key('entry-admin', Role.ADMIN, Marking.RED, 'org-a');
  keys.green = await key('entry-green', Role.VIEWER, Marking.GREEN, 'org-a');
  keys.strictA = await key('entry-strict-a', Role.VIEWER, Marking.AMBER_STRICT, 'org-a');
  keys.strictB = await key('entry-strict-b', Role.VIEWER, Marking.AMBER_STRICT, 'org-b');
  keys.red = await key('entry-red', Role.VIEWER, Marking.RED, 'org-b');
});
afterAll(() => server.close());

test('the migration gives every seeded statement its entry', expectInSync);

test('create, text change, re-marking, retraction, import, plain SQL and delete keep the entries exact, and hidden items uncounted', async () => {
  const [{ id: source }] = await server.dataSource.query(`SELECT id FROM source WHERE retracted_at IS NULL AND marking = 'CLEAR' LIMIT 1`);
  const citations = [{ source: toGlobalId('Source', source), verb: 'STATES', credibility: 2, quote: 'As the source says.' }];
  const created = await write(`mutation($input: CapabilityInput!) { createCapability(input: $input) { id } }`, {
    input: { topic: TOPIC, actor: ACTOR, category: 'TACTICS', statement: 'Crews train with vellichor rafts.', marking: 'GREEN', citations },
  });
  const id = created.createCapability.id as string;
  await expectInSync();
  expect(await found('green', 'vellichor')).toEqual([id]);

  await write(`mutation($id: ID!) { updateCapability(id: $id, input: { statement: "Crews train with sonder rafts." }) { id } }`, { id });
  await expectInSync();
  expect(await found('green', 'vellichor')).toEqual([]);
  expect(await found('green', 'sonder')).toEqual([id]);

  // AMBER+STRICT of org-a: counted for its organisation only, by either count.
  await write(`mutation($id: ID!) { updateCapability(id: $id, input: { marking: AMBER_STRICT }) { id } }`, { id });
  await expectInSync();
  expect(await found('green', 'sonder')).toEqual([]);
  expect(await found('strictB', 'sonder')).toEqual([]);
  expect(await found('strictA', 'sonder')).toEqual([id]);

  // RED: for its audience only.
  await write(
    `mutation($id: ID!) { updateCapability(id: $id, input: { marking: RED, audience: ["org-b/entry-red"], releaseReason: "For the red desk." }) { id } }`,
    { id },
  );
  await expectInSync();
  expect(await found('strictA', 'sonder')).toEqual([]);
  expect(await found('red', 'sonder')).toEqual([id]);

  await write(`mutation($id: ID!) { retractCapability(id: $id, reason: "Not so.") { id } }`, { id });
  await expectInSync();
  expect(await found('red', 'sonder')).toEqual([]);
  expect(await found('red', 'sonder', { includeRetracted: true })).toEqual([id]);

  const document = {
    topic: { key: 'entry-topic', title: 'Entry watch', summary: 'Who keeps the entries.', marking: 'GREEN' },
    actors: [{ key: 'keeper', name: 'Entry Keeper', kind: 'ARMED_FORCE', marking: 'GREEN' }],
    sources: [{ key: 'log', name: 'Entry log', kind: 'OFFICIAL_STATEMENT', reliability: 'B', marking: 'GREEN' }],
    events: [
      {
        key: 'drill',
        title: 'A susurrus drill',
        occurredOn: '2025-02-01',
        precision: 'DAY',
        actors: ['keeper'],
        marking: 'GREEN',
        citations: [{ source: 'log', verb: 'REPORTS', page: '2', credibility: 3, marking: 'GREEN' }],
      },
    ],
  };
  const imported = await write(`mutation($document: String!) { importData(format: DOSSIER, document: $document) { applied problems { message } } }`, {
    document: JSON.stringify(document),
  });
  expect(imported.importData).toEqual({ applied: true, problems: [] });
  await expectInSync();
  expect(await found('green', 'susurrus')).toHaveLength(1);

  await server.dataSource.query(`UPDATE event SET marking = 'AMBER' WHERE title = 'A susurrus drill'`);
  await expectInSync();
  expect(await found('green', 'susurrus')).toEqual([]);

  await write(`mutation($id: ID!) { deleteCapability(id: $id) }`, { id });
  await expectInSync();
  expect(await found('red', 'sonder', { includeRetracted: true })).toEqual([]);
});

async function addCapabilities(word: string, rows: Array<{ marking: string; organisation?: string }>) {
  await server.dataSource.query(
    `INSERT INTO capability (id, topic_id, actor_id, category, statement, marking, organisation, created_at)
     SELECT gen_random_uuid(), $1, $2, 'TACTICS', 'Drills with ' || $3 || ' number ' || r.n, r.marking::tlp_marking, r.organisation,
       now() - r.n * interval '1 second'
     FROM unnest($4::text[], $5::text[]) WITH ORDINALITY AS r(marking, organisation, n)`,
    [fixtureId('topic', TOPIC), fixtureId('actor', 'korean-peoples-army'), word, rows.map((r) => r.marking), rows.map((r) => r.organisation ?? null)],
  );
}

test('totalCountAtLeast counts up to countLimit, exact below it, and never counts what the reader may not see', async () => {
  await addCapabilities('petrichor', [
    ...Array.from({ length: 5 }, () => ({ marking: 'GREEN' })),
    { marking: 'AMBER_STRICT', organisation: 'org-b' },
    { marking: 'AMBER_STRICT', organisation: 'org-b' },
  ]);
  await expectInSync();
  const green = (countLimit: number) => search('green', { q: 'petrichor', countLimit });
  expect((await green(3)).totalCountAtLeast).toEqual({ count: 3, exact: false });
  expect((await green(4)).totalCount).toBe(5);
  expect((await green(5)).totalCountAtLeast).toEqual({ count: 5, exact: true });
  expect((await green(6)).totalCountAtLeast).toEqual({ count: 5, exact: true });
  expect((await search('strictB', { q: 'petrichor', countLimit: 6 })).totalCountAtLeast).toEqual({ count: 6, exact: false });
  expect((await search('strictB', { q: 'petrichor', countLimit: 7 })).totalCountAtLeast).toEqual({ count: 7, exact: true });
  // Another organisation's AMBER+STRICT items are not counted.
  expect((await search('strictA', { q: 'petrichor', countLimit: 5 })).totalCount).toBe(5);
  expect((await search('strictA', { q: 'petrichor', countLimit: 5 })).totalCountAtLeast).toEqual({ count: 5, exact: true });
  for (const countLimit of [0, -1, 100001]) {
    const r = await server.gqlAs(keys.green, SEARCH, { q: 'petrichor', countLimit });
    expect(r.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  }
});

test('statements are ranked among their newest 1000 matches: older ones are counted, not listed', async () => {
  await addCapabilities(
    'hiraeth',
    Array.from({ length: 1005 }, () => ({ marking: 'CLEAR' })),
  );
  const listed: string[] = [];
  let after: string | undefined;
  for (let page = 0; page < 20; page++) {
    const r = await search('green', { q: 'hiraeth', first: 100, after, countLimit: 2000 });
    expect(r.totalCount).toBe(1005);
    expect(r.totalCountAtLeast).toEqual({ count: 1005, exact: true });
    listed.push(...r.nodes.map((n) => n.item.id));
    if (!r.pageInfo.hasNextPage) break;
    after = r.pageInfo.endCursor;
  }
  expect(new Set(listed).size).toBe(1000);
  // Bounded counts of so many matches, below, at and above the candidates.
  for (const [countLimit, atLeast] of [
    [999, { count: 999, exact: false }],
    [1000, { count: 1000, exact: false }],
    [1004, { count: 1004, exact: false }],
    [1005, { count: 1005, exact: true }],
  ] as const) {
    expect((await search('green', { q: 'hiraeth', countLimit })).totalCountAtLeast).toEqual(atLeast);
  }
  const newest = await server.dataSource.query(`SELECT id FROM capability WHERE statement LIKE 'Drills with hiraeth %' ORDER BY created_at DESC LIMIT 1000`);
  expect(new Set(listed)).toEqual(new Set(newest.map((r: { id: string }) => toGlobalId('Capability', r.id))));
});
