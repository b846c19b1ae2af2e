import { dataOf, startTestServer, TestServer } from './support/server';

// One rule for imprecise dates (src/modules/event/event.dates.ts): a date is the interval of its day, month or year;
// it is in a window when that interval overlaps it; lists and the brief timeline order by the interval's end.
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const EVENTS = `query($filter: EventFilter, $orderBy: EventOrder, $first: Int, $after: String) {
  events(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
    nodes { title occurredOn precision occurredFrom occurredTo }
    pageInfo { hasNextPage endCursor }
  }
}`;
const BRIEF = `query($input: BriefInput!) {
  brief(input: $input) { markdown timeline { when precision occurredFrom occurredTo statement { text } } }
}`;
const DPRK = 'dprk-troops-in-russia';
const KURSK = 'Ukrainian forces enter the Kursk region';

const events = async (variables: Record<string, unknown>) => dataOf(await server.gql(EVENTS, { first: 100, ...variables })).events;

test('an event exposes its date as an interval of its precision', async () => {
  const byTitle = new Map((await events({ filter: { topic: DPRK } })).nodes.map((e: any) => [e.title, e]));
  expect(byTitle.get(KURSK)).toMatchObject({ occurredOn: '2024-08-01', precision: 'MONTH', occurredFrom: '2024-08-01', occurredTo: '2024-08-31' });
  expect(byTitle.get('About 10,000 North Korean combat troops deployed to Russia')).toMatchObject({
    precision: 'YEAR',
    occurredFrom: '2024-01-01',
    occurredTo: '2024-12-31',
  });
  expect(byTitle.get('UK Defence Intelligence publishes update on North Korean troops in Russia')).toMatchObject({
    precision: 'DAY',
    occurredFrom: '2024-11-03',
    occurredTo: '2024-11-03',
  });
});

test('a year-only event never sorts before a dated event of its year, in lists and pages alike', async () => {
  const { nodes } = await events({ filter: { topic: DPRK } });
  const lastDated = Math.max(...nodes.map((e: any, i: number) => (e.precision !== 'YEAR' && e.occurredOn.startsWith('2024') ? i : -1)));
  const firstYearOnly = nodes.findIndex((e: any) => e.precision === 'YEAR' && e.occurredOn === '2024-01-01');
  expect(firstYearOnly).toBeGreaterThan(-1);
  expect(firstYearOnly).toBeGreaterThan(lastDated);
  expect(nodes.findIndex((e: any) => e.title === KURSK)).toBeLessThan(firstYearOnly);
  // Ordered by interval end, then the narrower first.
  const keys = nodes.map((e: any) => `${e.occurredTo}${['DAY', 'MONTH', 'YEAR'].indexOf(e.precision)}`);
  expect(keys).toEqual([...keys].sort());
  // Keyset pages follow the same order, and DESC is its reverse.
  const paged: string[] = [];
  let after: string | null = null;
  do {
    const page: any = await events({ filter: { topic: DPRK }, first: 3, after });
    paged.push(...page.nodes.map((e: any) => e.title));
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);
  expect(paged).toEqual(nodes.map((e: any) => e.title));
  const desc = await events({ filter: { topic: DPRK }, orderBy: { field: 'OCCURRED_ON', direction: 'DESC' } });
  expect(desc.nodes.map((e: any) => `${e.occurredTo}${['DAY', 'MONTH', 'YEAR'].indexOf(e.precision)}`)).toEqual([...keys].sort().reverse());
});

test('the events filter and the brief agree on a window: an event is in it when its interval may be', async () => {
  const window = { from: '2024-10-01', to: '2024-10-31' };
  const listed = (await events({ filter: { topic: DPRK, occurredFrom: window.from, occurredTo: window.to } })).nodes;
  const timeline = dataOf(await server.gql(BRIEF, { input: { topics: [DPRK], ...window, sections: ['TIMELINE'] } })).brief.timeline;
  expect(timeline.map((e: any) => e.statement.text).sort()).toEqual(listed.map((e: any) => e.title).sort());
  // Year-only events of 2024 may have happened in October; August and November events may not.
  expect(listed.some((e: any) => e.precision === 'YEAR')).toBe(true);
  expect(listed.map((e: any) => e.title)).not.toContain(KURSK);
  for (const e of listed) expect(e.occurredFrom <= window.to && e.occurredTo >= window.from).toBe(true);
  // A window inside the month of an event still finds it; a window just past it does not.
  const inAugust = (await events({ filter: { topic: DPRK, occurredFrom: '2024-08-31', occurredTo: '2024-08-31' } })).nodes;
  expect(inAugust.map((e: any) => e.title)).toContain(KURSK);
  const fromSeptember = (await events({ filter: { topic: DPRK, occurredFrom: '2024-09-01' } })).nodes;
  expect(fromSeptember.map((e: any) => e.title)).not.toContain(KURSK);
  const before2024 = (await events({ filter: { topic: DPRK, occurredTo: '2023-12-31' } })).nodes;
  expect(before2024.filter((e: any) => e.occurredFrom >= '2024-01-01')).toEqual([]);
});

test('the brief timeline follows the rule and never implies a day a date does not have', async () => {
  const b = dataOf(await server.gql(BRIEF, { input: { topics: [DPRK], sections: ['TIMELINE'] } })).brief;
  const whens: string[] = b.timeline.map((e: any) => e.when);
  const kursk = b.timeline.findIndex((e: any) => e.statement.text === KURSK);
  expect(whens[kursk]).toBe('In August 2024');
  expect(b.timeline[kursk]).toMatchObject({ precision: 'MONTH', occurredFrom: '2024-08-01', occurredTo: '2024-08-31' });
  const yearOnly = b.timeline.find((e: any) => e.precision === 'YEAR');
  expect(yearOnly).toMatchObject({ when: 'During 2024', occurredFrom: '2024-01-01', occurredTo: '2024-12-31' });
  const firstDuring = whens.indexOf('During 2024');
  expect(firstDuring).toBeGreaterThan(kursk);
  // Nothing dated in 2024 follows a year-only 2024 event.
  expect(whens.slice(firstDuring).every((w) => w === 'During 2024' || !w.endsWith('2024'))).toBe(true);
  for (const e of b.timeline) {
    if (e.precision === 'YEAR') expect(e.when).toMatch(/^During \d{4}$/);
    if (e.precision === 'MONTH') expect(e.when).toMatch(/^In [A-Z][a-z]+ \d{4}$/);
    if (e.precision === 'DAY') expect(e.when).toMatch(/^On \d{1,2} [A-Z][a-z]+ \d{4}$/);
  }
  expect(b.markdown).toContain('**During 2024**');
  expect(b.markdown).not.toMatch(/1 January 2024/);
});

test('a time series counts a window as the events list does: dated events in count, the others in imprecise', async () => {
  const SERIES = `query($filter: AggregateFilter) {
    timeSeries(of: EVENT_DATE, interval: MONTH, from: "2024-10-01", to: "2024-10-31", filter: $filter) { start count imprecise }
  }`;
  const [bucket] = dataOf(await server.gql(SERIES, { filter: { topic: DPRK } })).timeSeries;
  const listed = (await events({ filter: { topic: DPRK, occurredFrom: '2024-10-01', occurredTo: '2024-10-31' } })).nodes;
  expect(bucket.start).toBe('2024-10-01');
  expect(bucket.count).toBe(listed.filter((e: any) => e.precision !== 'YEAR').length);
  expect(bucket.imprecise).toBe(listed.filter((e: any) => e.precision === 'YEAR').length);
  expect(bucket.imprecise).toBeGreaterThan(0);
  // The brief says what its window means.
  const b = dataOf(await server.gql(BRIEF, { input: { topics: [DPRK], from: '2024-10-01', to: '2024-10-31', sections: ['TIMELINE'] } })).brief;
  expect(b.markdown).toContain('Window: 1 October 2024 to 31 October 2024 (an event known only to its month or year is in it when that period overlaps it).');
});
