import { Marking } from '../src/common/marking';
import { statementCount } from '../src/db/statement-counter';
import { createKey } from '../src/modules/identity/api-key.service';
import { Role } from '../src/modules/identity/role';
import { toGlobalId } from '../src/read/global-id';
import { addMarkedLayer, globalIds, ids } from './support/marked-layer';
import { dataOf, startTestServer, TestServer, type GraphQLResponse } from './support/server';

// Dashboard aggregates: exact counts of what the reader may see, agreeing with the lists, one statement each.
let server: TestServer;
const keys: Record<string, string> = {};
const topic = 'dprk-troops-in-russia';
const redCapability = '00000000-0000-4000-8000-0000000a6601';
const precisionTopic = '00000000-0000-4000-8000-0000000a6602';

const DISTRIBUTION = `query($of: DistributionField!, $kinds: [StatementKind!], $filter: AggregateFilter, $top: Int) {
  distribution(of: $of, kinds: $kinds, filter: $filter, top: $top) { key label count } }`;
const SERIES = `query($of: TimeField!, $interval: Interval!, $from: LocalDate!, $to: LocalDate!, $kinds: [StatementKind!], $filter: AggregateFilter) {
  timeSeries(of: $of, interval: $interval, from: $from, to: $to, kinds: $kinds, filter: $filter) { start count imprecise } }`;

type Bucket = { key: string | null; label: string | null; count: number };
const as = async (key: string | null, query: string, variables: Record<string, unknown>) => dataOf(await server.gqlAs(key, query, variables));
const buckets = async (key: string | null, variables: Record<string, unknown>): Promise<Bucket[]> => (await as(key, DISTRIBUTION, variables)).distribution;
const countOf = (list: Bucket[], key: string | null) => list.find((b) => b.key === key)?.count ?? 0;
const total = (list: Bucket[]) => list.reduce((n, b) => n + b.count, 0);
const codeOf = (r: GraphQLResponse) => r.body.errors?.[0]?.extensions?.code;
const argOf = (r: GraphQLResponse) => r.body.errors?.[0]?.extensions?.argumentName;

const LISTS = ['capabilities', 'challenges', 'implications', 'events', 'relations'];
async function listTotals(key: string | null, filter: Record<string, unknown>) {
  const query = `query($f1: CapabilityFilter, $f2: ChallengeFilter, $f3: ImplicationFilter, $f4: EventFilter, $f5: RelationFilter) {
    ${LISTS.map((l, i) => `${l}(filter: $f${i + 1}) { totalCount }`).join(' ')} }`;
  const data = await as(key, query, Object.fromEntries(LISTS.map((_, i) => [`f${i + 1}`, filter])));
  return LISTS.reduce((n, l) => n + (data[l].totalCount as number), 0);
}

beforeAll(async () => {
  // Statements per aggregate are counted: a repeated one would be answered by the response cache, sending none.
  server = await startTestServer({ RESPONSE_CACHE_BYTES: '0' });
  await addMarkedLayer(server.dataSource);
  for (const [name, clearance] of [
    ['green', Marking.GREEN],
    ['amber', Marking.AMBER],
    ['red', Marking.RED],
    ['lead', Marking.RED],
  ] as const) {
    keys[name] = (await createKey(server.dataSource.manager, { name, role: Role.VIEWER, clearance, organisation: 'agg' })).key;
  }
  await server.dataSource.query(
    `INSERT INTO capability (id, topic_id, actor_id, category, statement, marking, audience)
     VALUES ($1, $2, $3, 'SPECIAL_OPERATIONS', 'RED: for the lead only.', 'RED', '{agg/lead}')`,
    [redCapability, ids.topic, ids.kpa],
  );
  // A topic of its own for the precision rule: one event on a day, one known to the month only, in August 2024.
  await server.dataSource.query(`INSERT INTO topic (id, slug, title, summary) VALUES ($1, 'agg-precision', 'Precision', 'test')`, [precisionTopic]);
  await server.dataSource.query(
    `INSERT INTO event (id, topic_id, title, occurred_on, precision) VALUES
     (gen_random_uuid(), $1, 'on the day', '2024-08-01', 'DAY'), (gen_random_uuid(), $1, 'in the month', '2024-08-01', 'MONTH'),
     (gen_random_uuid(), $1, 'later that month', '2024-08-20', 'DAY')`,
    [precisionTopic],
  );
});
afterAll(() => server.close());

test('capabilities and challenges by category equal the counts of their filtered lists', async () => {
  for (const [kind, list, filterType] of [
    ['CAPABILITY', 'capabilities', 'CapabilityFilter'],
    ['CHALLENGE', 'challenges', 'ChallengeFilter'],
  ]) {
    const got = await buckets(keys.amber, { of: 'CATEGORY', kinds: [kind], filter: { topic } });
    expect(got.length).toBeGreaterThan(1);
    const query = `query($f: ${filterType}) { ${list}(filter: $f) { totalCount } }`;
    for (const bucket of got) {
      expect(bucket.label).toEqual(expect.any(String));
      const listed = (await as(keys.amber, query, { f: { topic, categories: [bucket.key] } }))[list].totalCount;
      expect({ key: bucket.key, count: bucket.count }).toEqual({ key: bucket.key, count: listed });
    }
    expect(total(got)).toBe((await as(keys.amber, query, { f: { topic } }))[list].totalCount);
  }
  // Across both kinds, a term's count is the sum of the two.
  const both = await buckets(keys.amber, { of: 'CATEGORY', filter: { topic } });
  const caps = await buckets(keys.amber, { of: 'CATEGORY', kinds: ['CAPABILITY'], filter: { topic } });
  const chas = await buckets(keys.amber, { of: 'CATEGORY', kinds: ['CHALLENGE'], filter: { topic } });
  expect(total(both)).toBe(total(caps) + total(chas));
});

test('across kinds by marking and by actor, the counts equal the lists of every kind', async () => {
  for (const key of [null, keys.green, keys.amber, keys.lead]) {
    const byMarking = await buckets(key, { of: 'MARKING', filter: { topic } });
    expect(total(byMarking)).toBe(await listTotals(key, { topic }));
    const byActor = await buckets(key, { of: 'ACTOR', filter: { topic } });
    expect(countOf(byActor, globalIds.kpa)).toBe(await listTotals(key, { topic, actor: globalIds.kpa }));
  }
  // `top` keeps the buckets counted most.
  const byActor = await buckets(keys.amber, { of: 'ACTOR', filter: { topic } });
  expect(await buckets(keys.amber, { of: 'ACTOR', filter: { topic }, top: 3 })).toEqual(byActor.slice(0, 3));
  const anonymous = await buckets(null, { of: 'MARKING' });
  expect(anonymous.map((b) => b.key)).toEqual(['CLEAR']);
});

test('implications by likelihood equal a count of the list', async () => {
  const got = await buckets(null, { of: 'LIKELIHOOD', filter: { topic } });
  const nodes: Array<{ likelihood: string }> = (await as(null, `{ implications(filter: { topic: "${topic}" }, first: 100) { nodes { likelihood } } }`, {}))
    .implications.nodes;
  const counted = new Map<string, number>();
  for (const n of nodes) counted.set(n.likelihood, (counted.get(n.likelihood) ?? 0) + 1);
  expect(Object.fromEntries(got.map((b) => [b.key, b.count]))).toEqual(Object.fromEntries(counted));
  const confidence = await buckets(null, { of: 'CONFIDENCE' });
  expect(total(confidence)).toBe(nodes.length);
});

test('a RED statement counts for the reader in its audience only', async () => {
  const red = async (key: string | null) => countOf(await buckets(key, { of: 'MARKING', filter: { topic } }), 'RED');
  const special = async (key: string | null) => countOf(await buckets(key, { of: 'CATEGORY', filter: { topic } }), 'SPECIAL_OPERATIONS');
  expect(await red(keys.red)).toBe(0);
  expect(await red(keys.lead)).toBe(1);
  // The AMBER capability of the marked layer is SPECIAL_OPERATIONS too.
  expect(await special(keys.green)).toBe((await special(keys.amber)) - 1);
  expect(await special(keys.lead)).toBe((await special(keys.red)) + 1);
});

test('an actor you may not see has no bucket, though its visible statements count elsewhere', async () => {
  const green = await buckets(keys.green, { of: 'ACTOR', filter: { topic } });
  const amber = await buckets(keys.amber, { of: 'ACTOR', filter: { topic } });
  expect(green.map((b) => b.key)).not.toContain(globalIds.amberActor);
  expect(amber.find((b) => b.key === globalIds.amberActor)).toEqual({ key: globalIds.amberActor, label: 'AMBER reconnaissance battalion', count: 1 });
  expect(countOf(await buckets(keys.green, { of: 'CATEGORY', filter: { topic } }), 'TACTICS')).toBeGreaterThan(0);
  // Filtering by the hidden actor matches nothing, as for one that does not exist.
  expect(await buckets(keys.green, { of: 'MARKING', filter: { actor: globalIds.amberActor } })).toEqual([]);
  // Its kind is counted only through actors the reader may see: the AMBER unit's GREEN capability is missing for GREEN.
  const kinds = async (key: string) => countOf(await buckets(key, { of: 'ACTOR_KIND', kinds: ['CAPABILITY'], filter: { topic } }), 'MILITARY_UNIT');
  expect(await kinds(keys.amber)).toBe((await kinds(keys.green)) + 1);
});

test('sources, publishers, reliability and credibility count each statement once per value', async () => {
  const statements = await listTotals(null, { topic });
  for (const field of ['SOURCE', 'RELIABILITY', 'CREDIBILITY', 'PUBLISHER', 'TOPIC', 'ACTOR_KIND', 'RELATION_TYPE']) {
    const got = await buckets(null, { of: field });
    expect(got.length).toBeGreaterThan(0);
    for (const b of got) expect(b.count).toBeGreaterThan(0);
  }
  const topics = await buckets(null, { of: 'TOPIC' });
  expect(countOf(topics, toGlobalId('Topic', ids.topic))).toBe(statements);
  // Every cited statement is in at least one reliability bucket, and no bucket counts more statements than there are.
  for (const b of await buckets(null, { of: 'RELIABILITY', filter: { topic } })) expect(b.count).toBeLessThanOrEqual(statements);
  const minB = await listTotals(null, { topic, minReliability: 'B' });
  const grades = await buckets(null, { of: 'RELIABILITY', filter: { topic } });
  expect(countOf(grades, 'A') + countOf(grades, 'B')).toBeGreaterThanOrEqual(minB);
});

test('events by month over the seed equal a count by hand, known-to-the-year ones aside', async () => {
  const series = (await as(null, SERIES, { of: 'EVENT_DATE', interval: 'MONTH', from: '2024-07-15', to: '2024-12-31', filter: { topic } })).timeSeries;
  // 2024-08 (to the month), 2024-10-19, 2024-10-24, 2024-11-03 (to the day), and six known to the year only.
  expect(series).toEqual(['07', '08', '09', '10', '11', '12'].map((m, i) => ({ start: `2024-${m}-01`, count: [0, 1, 0, 2, 1, 0][i], imprecise: 6 })));
  const year = (await as(null, SERIES, { of: 'EVENT_DATE', interval: 'YEAR', from: '2023-01-01', to: '2024-01-01', filter: { topic } })).timeSeries;
  expect(year).toEqual([
    { start: '2023-01-01', count: 0, imprecise: 0 },
    { start: '2024-01-01', count: 10, imprecise: 0 },
  ]);
});

test('an event known to the month is counted in its month, never on its first day', async () => {
  const run = async (interval: string, from: string, to: string) =>
    (await as(null, SERIES, { of: 'EVENT_DATE', interval, from, to, filter: { topic: 'agg-precision' } })).timeSeries;
  expect(await run('DAY', '2024-08-01', '2024-08-02')).toEqual([
    { start: '2024-08-01', count: 1, imprecise: 1 },
    { start: '2024-08-02', count: 0, imprecise: 1 },
  ]);
  // The week of 2024-07-29 holds 1 August: the month's event overlaps it, and the weeks after, up to August's last.
  const weeks = await run('WEEK', '2024-07-22', '2024-09-02');
  expect(weeks.map((w: { imprecise: number }) => w.imprecise)).toEqual([0, 1, 1, 1, 1, 1, 0]);
  expect(weeks.map((w: { count: number }) => w.count)).toEqual([0, 1, 0, 0, 1, 0, 0]);
  expect(await run('MONTH', '2024-08-01', '2024-09-30')).toEqual([
    { start: '2024-08-01', count: 3, imprecise: 0 },
    { start: '2024-09-01', count: 0, imprecise: 0 },
  ]);
  expect(await run('QUARTER', '2024-08-01', '2024-08-01')).toEqual([{ start: '2024-07-01', count: 3, imprecise: 0 }]);
});

test('report dates count statements by the publication of their cited sources', async () => {
  const year = { reportedFrom: '2024-01-01', reportedTo: '2024-12-31' };
  const series = (await as(null, SERIES, { of: 'REPORT_DATE', interval: 'YEAR', from: '2024-01-01', to: '2024-12-31', filter: { topic } })).timeSeries;
  const listed = await listTotals(null, { topic, ...year });
  expect(series).toEqual([{ start: '2024-01-01', count: listed, imprecise: 0 }]);
  expect(listed).toBeGreaterThan(0);
  // By month, a statement counts in each month one of its sources was published in.
  const months = (await as(null, SERIES, { of: 'REPORT_DATE', interval: 'MONTH', from: '2024-10-01', to: '2024-11-30', filter: { topic } })).timeSeries;
  const october = await listTotals(null, { topic, reportedFrom: '2024-10-01', reportedTo: '2024-10-31' });
  const november = await listTotals(null, { topic, reportedFrom: '2024-11-01', reportedTo: '2024-11-30' });
  expect(months.map((m: { count: number }) => m.count)).toEqual([october, november]);
});

test('change dates count the changes the feed shows the reader', async () => {
  const today = new Date().toISOString().slice(0, 10);
  const changes = async (key: string | null) =>
    (await as(key, SERIES, { of: 'CHANGE_DATE', interval: 'YEAR', from: '2000-01-01', to: today, kinds: ['CAPABILITY'], filter: { topic } })).timeSeries.reduce(
      (n: number, b: { count: number }) => n + b.count,
      0,
    );
  const [red, lead] = [await changes(keys.red), await changes(keys.lead)];
  expect(red).toBeGreaterThan(0);
  // The RED capability's creation is the lead's alone.
  expect(lead).toBe(red + 1);
});

test('arguments that do not fit are BAD_USER_INPUT naming them', async () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    [DISTRIBUTION, { of: 'LIKELIHOOD', kinds: ['CAPABILITY'] }, 'kinds'],
    [DISTRIBUTION, { of: 'MARKING', kinds: [] }, 'kinds'],
    [DISTRIBUTION, { of: 'MARKING', kinds: ['CAPABILITY'], filter: { occurredFrom: '2024-01-01' } }, 'kinds'],
    [DISTRIBUTION, { of: 'MARKING', filter: { actor: 'nonsense' } }, 'filter.actor'],
    [DISTRIBUTION, { of: 'ACTOR', top: 0 }, 'top'],
    [DISTRIBUTION, { of: 'ACTOR', top: 1001 }, 'top'],
    [SERIES, { of: 'EVENT_DATE', interval: 'MONTH', from: '2024-02-01', to: '2024-01-01' }, 'to'],
    [SERIES, { of: 'EVENT_DATE', interval: 'DAY', from: '2000-01-01', to: '2024-01-01' }, 'interval'],
    [SERIES, { of: 'EVENT_DATE', interval: 'DAY', from: '2024-01-01', to: '2024-01-02', kinds: ['CAPABILITY'] }, 'kinds'],
    [SERIES, { of: 'CHANGE_DATE', interval: 'DAY', from: '2024-01-01', to: '2024-01-02', filter: { actor: globalIds.kpa } }, 'filter.actor'],
  ];
  for (const [query, variables, argumentName] of cases) {
    const response = await server.gqlAs(null, query, variables);
    expect({ variables, code: codeOf(response), argumentName: argOf(response) }).toEqual({ variables, code: 'BAD_USER_INPUT', argumentName });
  }
});

test('each aggregate is one SQL statement', async () => {
  const statements = async (query: string, variables: Record<string, unknown>) => {
    const before = statementCount();
    // Anonymous: a request with a key looks the key up too.
    dataOf(await server.gqlAs(null, query, variables));
    return statementCount() - before;
  };
  for (const field of ['MARKING', 'ACTOR', 'SOURCE', 'PUBLISHER', 'CATEGORY']) expect(await statements(DISTRIBUTION, { of: field, filter: { topic } })).toBe(1);
  for (const field of ['EVENT_DATE', 'REPORT_DATE', 'CHANGE_DATE']) {
    expect(await statements(SERIES, { of: field, interval: 'MONTH', from: '2024-01-01', to: '2024-12-31', filter: { topic } })).toBe(1);
  }
  const both = `{ a: distribution(of: MARKING) { count } b: distribution(of: TOPIC) { count } }`;
  expect(await statements(both, {})).toBe(2);
});
