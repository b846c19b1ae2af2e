import 'reflect-metadata';
import { Marking } from '../src/common/marking';
import { executeRun } from '../src/modules/brief-run/brief-run.service';
import { createKey } from '../src/modules/identity/api-key.service';
import { Role } from '../src/modules/identity/role';
import { fromGlobalId, toGlobalId } from '../src/read/global-id';
import { dataOf, startTestServer, TestServer } from './support/server';

// Stored runs read through the public API: the connection, lookups by id, who manages definitions, and retention.
const DPRK = { topics: ['dprk-troops-in-russia'] };
const YEARLY = '0 0 1 1 *';
const year = (y: number) => new Date(`${y}-01-01T00:00:00Z`);

let server: TestServer;
/** Keys of test-org unless named otherwise; the server's own key is an ADMIN of test-org cleared for GREEN. */
const keys: Record<string, string> = {};
const mint = async (name: string, role: Role, clearance: Marking, organisation = 'test-org') =>
  (keys[name] = (await createKey(server.dataSource.manager, { name, role, clearance, organisation })).key);

beforeAll(async () => {
  server = await startTestServer();
  await mint('owner', Role.ADMIN, Marking.RED);
  await mint('red-colleague', Role.VIEWER, Marking.RED);
  await mint('outsider', Role.VIEWER, Marking.RED, 'other-org');
  await mint('reporter', Role.REPORTER, Marking.GREEN);
  await mint('other-reporter', Role.REPORTER, Marking.GREEN, 'other-org');
  await mint('analyst', Role.ANALYST, Marking.GREEN);
  await mint('releaser', Role.RELEASER, Marking.GREEN);
  await mint('amber-reporter', Role.REPORTER, Marking.AMBER);
});
afterEach(() => server.dataSource.query('DELETE FROM brief_definition'));
afterAll(() => server.close());

const CREATE = `mutation($input: BriefDefinitionInput!) { createBriefDefinition(input: $input) { id name keepRuns keepDays } }`;

async function define(as: string, name: string, extra: Record<string, unknown> = {}) {
  return dataOf(await server.gqlAs(as, CREATE, { input: { name, brief: { ...DPRK, clearance: 'GREEN' }, cron: YEARLY, ...extra } })).createBriefDefinition as {
    id: string;
    name: string;
    keepRuns: number | null;
    keepDays: number | null;
  };
}

interface RunRow {
  at: Date;
  status?: string;
  marking?: Marking;
  organisation?: string | null;
  audience?: string[];
}

/** Stores a run of a definition as the scheduler would have left it; returns its global id. */
async function insertRun(definitionId: string, row: RunRow): Promise<string> {
  const [{ id }] = await server.dataSource.query(
    `INSERT INTO brief_run (id, definition_id, scheduled_for, status, marking, organisation, audience, input)
     SELECT gen_random_uuid(), d.id, $2, $3, $4, $5, $6, d.input FROM brief_definition d WHERE d.id = $1 RETURNING id`,
    [fromGlobalId(definitionId, 'id').id, row.at, row.status ?? 'SUCCEEDED', row.marking ?? 'CLEAR', row.organisation ?? null, row.audience ?? []],
  );
  return toGlobalId('BriefRun', id);
}

const PAGE = `query($d: ID!, $first: Int, $after: String, $last: Int, $before: String, $since: DateTime, $status: [BriefRunStatus!]) {
  briefRuns(definition: $d, first: $first, after: $after, last: $last, before: $before, since: $since, status: $status) {
    totalCount
    edges { cursor node { id scheduledFor status } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

type Page = {
  totalCount: number;
  edges: Array<{ cursor: string; node: { id: string; scheduledFor: string; status: string } }>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
};
const pageOf = async (variables: Record<string, unknown>, as: string = server.key): Promise<Page> => dataOf(await server.gqlAs(as, PAGE, variables)).briefRuns;
const yearsOf = (page: Page) => page.edges.map((e) => Number(e.node.scheduledFor.slice(0, 4)));

/** Every page forward with `first`, following `endCursor`. */
async function forward(filter: Record<string, unknown>, first: number) {
  const pages: Page[] = [];
  let after: string | null = null;
  do {
    pages.push(await pageOf({ ...filter, first, after }));
    after = pages.at(-1)!.pageInfo.endCursor;
  } while (pages.at(-1)!.pageInfo.hasNextPage && pages.length < 50);
  return pages;
}

/** Every page backward with `last`, from the oldest run, following `startCursor`. */
async function backward(filter: Record<string, unknown>, last: number) {
  const pages: Page[] = [];
  let before: string | null = null;
  do {
    pages.push(await pageOf({ ...filter, last, before }));
    before = pages.at(-1)!.pageInfo.startCursor;
  } while (pages.at(-1)!.pageInfo.hasPreviousPage && pages.length < 50);
  return pages;
}

describe('briefRuns is a connection', () => {
  const STATUSES = ['SUCCEEDED', 'FAILED', 'MISSED'];
  let d: { id: string };
  // 2001 to 2012, statuses in turn; 2006 and 2009 are AMBER, above the reader.
  const visible = (y: number) => y !== 2006 && y !== 2009;
  const statusOf = (y: number) => STATUSES[y % 3];
  const ALL = Array.from({ length: 12 }, (_, i) => 2012 - i);

  beforeEach(async () => {
    d = await define(server.key, 'paged');
    for (const y of ALL) await insertRun(d.id, { at: year(y), status: statusOf(y), marking: visible(y) ? Marking.CLEAR : Marking.AMBER });
  });

  test('pages forward and backward over the same runs, newest first, counting only the visible ones', async () => {
    const expected = ALL.filter(visible);
    const ahead = await forward({ d: d.id }, 4);
    expect(ahead.map(yearsOf)).toEqual([expected.slice(0, 4), expected.slice(4, 8), expected.slice(8)]);
    expect(ahead.map((p) => p.totalCount)).toEqual([10, 10, 10]);
    expect(ahead.map((p) => [p.pageInfo.hasPreviousPage, p.pageInfo.hasNextPage])).toEqual([
      [false, true],
      [true, true],
      [true, false],
    ]);
    for (const page of ahead) {
      expect(page.pageInfo.startCursor).toBe(page.edges[0].cursor);
      expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)!.cursor);
    }

    const back = await backward({ d: d.id }, 4);
    // From the oldest: each page keeps the newest-first order, and the pages come oldest first.
    expect(back.map(yearsOf)).toEqual([expected.slice(6), expected.slice(2, 6), expected.slice(0, 2)]);
    expect(back.map((p) => [p.pageInfo.hasPreviousPage, p.pageInfo.hasNextPage])).toEqual([
      [true, false],
      [true, true],
      [false, true],
    ]);
    // A cursor from one direction serves the other: back from the second page forward is the first page.
    const before = await pageOf({ d: d.id, last: 10, before: ahead[1].edges[0].cursor });
    expect(yearsOf(before)).toEqual(expected.slice(0, 4));
    // No run above the reader shows in any page.
    expect(JSON.stringify([ahead, back])).not.toMatch(/"(2006|2009)-01-01/);
  });

  test('the flags beyond a cursor are exact: no matching run past it, no page there', async () => {
    const all = (await pageOf({ d: d.id, first: 20 })).edges;
    const cursorOf = (y: number) => all.find((e) => e.node.scheduledFor.startsWith(String(y)))!.cursor;
    // After the newest run (2012, MISSED), among SUCCEEDED runs: none is at or newer than it.
    const ahead = await pageOf({ d: d.id, first: 2, after: cursorOf(2012), status: ['SUCCEEDED'] });
    expect(yearsOf(ahead)).toEqual([2010, 2007]);
    expect(ahead.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true });
    expect((await pageOf({ d: d.id, first: 2, after: cursorOf(2012) })).pageInfo.hasPreviousPage).toBe(true);
    // Before 2003, from 2004 on: nothing at or older than the cursor matches.
    const back = await pageOf({ d: d.id, last: 2, before: cursorOf(2003), since: '2004-01-01T00:00:00Z' });
    expect(yearsOf(back)).toEqual([2005, 2004]);
    expect(back.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
    expect((await pageOf({ d: d.id, last: 2, before: cursorOf(2003) })).pageInfo.hasNextPage).toBe(true);
  });

  test('since and status narrow the runs listed, counted and paged', async () => {
    const filter = { d: d.id, since: '2004-01-01T00:00:00Z', status: ['SUCCEEDED', 'FAILED'] };
    const expected = ALL.filter((y) => visible(y) && y >= 2004 && statusOf(y) !== 'MISSED');
    expect(expected.length).toBeGreaterThan(3);
    const ahead = await forward(filter, 2);
    expect(ahead.flatMap(yearsOf)).toEqual(expected);
    expect(new Set(ahead.map((p) => p.totalCount))).toEqual(new Set([expected.length]));
    expect(ahead.flatMap((p) => p.edges.map((e) => e.node.status)).every((s) => s !== 'MISSED')).toBe(true);
    const back = await backward(filter, 3);
    expect(back.reverse().flatMap(yearsOf)).toEqual(expected);

    // `since` is inclusive, and a filter no run matches is an empty page, not an error.
    expect(yearsOf(await pageOf({ d: d.id, since: '2012-01-01T00:00:00Z' }))).toEqual([2012]);
    const none = await pageOf({ d: d.id, status: ['QUEUED'] });
    expect(none).toEqual({ totalCount: 0, edges: [], pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null } });
  });

  test('bad paging arguments are BAD_USER_INPUT naming the argument', async () => {
    const cursor = (await pageOf({ d: d.id, first: 1 })).pageInfo.endCursor;
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ first: 2, last: 2 }, 'last'],
      [{ first: -1 }, 'first'],
      [{ last: -1 }, 'last'],
      // One over MAX_PAGE_SIZE (far larger pages are refused by the cost limit before they run).
      [{ first: 101 }, 'first'],
      [{ before: 'not-a-cursor' }, 'before'],
      [{ after: 'not-a-cursor' }, 'after'],
      [{ before: Buffer.from('["NAME","x","y"]').toString('base64') }, 'before'],
      [{ status: [] }, 'status'],
      [{ after: Buffer.from('["SCHEDULED_FOR","yesterday","00000000-0000-4000-8000-000000000001"]').toString('base64') }, 'after'],
      // A year 1 time with an offset falls in year 0 in UTC.
      [{ since: '0001-01-01T00:00:00+02:00' }, 'since'],
    ];
    for (const [variables, argumentName] of cases) {
      const response = await server.gql(PAGE, { d: d.id, ...variables });
      const error = response.body.errors?.[0];
      expect({ variables, code: error?.extensions?.code, argumentName: error?.extensions?.argumentName, data: response.body.data?.briefRuns ?? null }).toEqual({
        variables,
        code: 'BAD_USER_INPUT',
        argumentName,
        data: null,
      });
    }
    // The cursor of this connection still works.
    expect(yearsOf(await pageOf({ d: d.id, first: 1, after: cursor }))).toEqual([2011]);
  });
});

describe('runs are nodes', () => {
  const BY_ID = `query($id: ID!) { briefRun(id: $id) { id scheduledFor markdown definition { id } } }`;
  const NODE = `query($id: ID!) { node(id: $id) { __typename id ... on BriefRun { scheduledFor markdown } } }`;
  /** The answers to both lookups, with the id asked for written out of the error messages, so answers compare. */
  async function answers(as: string, id: string) {
    const byId = (await server.gqlAs(as, BY_ID, { id })).body;
    const node = (await server.gqlAs(as, NODE, { id })).body;
    return JSON.parse(JSON.stringify({ byId, node }).split(id).join('<id>'));
  }

  test('visible runs are found; hidden ones answer exactly as unknown ones, to every reader', async () => {
    const d = await define(keys.owner, 'nodes');
    const amberDefinition = (await server.gqlAs(keys.owner, CREATE, { input: { name: 'amber nodes', brief: { ...DPRK, clearance: 'AMBER' }, cron: YEARLY } }))
      .body.data.createBriefDefinition;
    const clear = await insertRun(d.id, { at: year(2001) });
    const amber = await insertRun(d.id, { at: year(2002), marking: Marking.AMBER });
    const strict = await insertRun(d.id, { at: year(2003), marking: Marking.AMBER_STRICT, organisation: 'test-org' });
    const red = await insertRun(d.id, { at: year(2004), marking: Marking.RED, organisation: 'test-org', audience: ['test-org/owner'] });
    const ofHiddenDefinition = await insertRun(amberDefinition.id, { at: year(2005) });
    const unknown = toGlobalId('BriefRun', '00000000-0000-4000-8000-0000000000ff');

    const found = dataOf(await server.gqlAs(keys.owner, BY_ID, { id: red }));
    expect(found.briefRun).toEqual({ id: red, scheduledFor: '2004-01-01T00:00:00.000Z', markdown: null, definition: { id: d.id } });
    const node = dataOf(await server.gqlAs(keys.owner, NODE, { id: strict }));
    expect(node.node).toEqual({ __typename: 'BriefRun', id: strict, scheduledFor: '2003-01-01T00:00:00.000Z', markdown: null });
    for (const id of [clear, amber, ofHiddenDefinition]) expect(dataOf(await server.gqlAs(keys.owner, BY_ID, { id })).briefRun?.id).toBe(id);

    const nothing = await answers(server.key, unknown);
    expect(nothing.byId).toEqual({ data: { briefRun: null } });
    expect(nothing.node.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const hidden: Array<[string, string, string]> = [
      ['GREEN reader, AMBER run', server.key, amber],
      ['GREEN reader, run of an AMBER definition', server.key, ofHiddenDefinition],
      ['other organisation, AMBER_STRICT run', keys.outsider, strict],
      ['RED reader outside the audience', keys['red-colleague'], red],
      ['other organisation, RED run', keys.outsider, red],
    ];
    for (const [who, as, id] of hidden) {
      expect({ who, ...(await answers(as, id)) }).toEqual({ who, ...nothing });
    }
    // Each of those readers does find the runs they may see.
    expect(dataOf(await server.gqlAs(keys.outsider, BY_ID, { id: clear })).briefRun.id).toBe(clear);
    expect(dataOf(await server.gqlAs(keys['red-colleague'], NODE, { id: strict })).node.id).toBe(strict);
    // An id of another type is no run.
    const wrongType = (await server.gql(BY_ID, { id: d.id })).body.errors?.[0];
    expect(wrongType?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('REPORTER manages the brief definitions of its organisation', () => {
  const UPDATE = `mutation($id: ID!) { updateBriefDefinition(id: $id, input: { name: "renamed", keepRuns: 3 }) { name keepRuns } }`;
  const PAUSE = `mutation($id: ID!) { pauseBriefDefinition(id: $id) { paused } }`;
  const RESUME = `mutation($id: ID!) { resumeBriefDefinition(id: $id) { paused } }`;
  const DELETE = `mutation($id: ID!) { deleteBriefDefinition(id: $id) }`;
  const MINT = `mutation($input: ApiKeyInput!) { createApiKey(input: $input) { key apiKey { id role } } }`;
  const codeOf = async (as: string, query: string, variables: Record<string, unknown> = {}) =>
    (await server.gqlAs(as, query, variables)).body.errors?.[0]?.extensions?.code ?? 'OK';

  test('a reporter creates, changes, pauses, resumes and deletes definitions of its organisation, and no others', async () => {
    const own = await define(keys.reporter, 'reporter’s');
    const colleagues = await define(server.key, 'admin’s');
    for (const d of [own, colleagues]) {
      expect(dataOf(await server.gqlAs(keys.reporter, UPDATE, { id: d.id })).updateBriefDefinition).toEqual({ name: 'renamed', keepRuns: 3 });
      expect(dataOf(await server.gqlAs(keys.reporter, PAUSE, { id: d.id })).pauseBriefDefinition).toEqual({ paused: true });
      expect(dataOf(await server.gqlAs(keys.reporter, RESUME, { id: d.id })).resumeBriefDefinition).toEqual({ paused: false });
    }
    // Another organisation's reporter sees the GREEN definitions, but may change none of them.
    for (const query of [UPDATE, PAUSE, RESUME, DELETE]) {
      expect({ query, code: await codeOf(keys['other-reporter'], query, { id: own.id }) }).toEqual({ query, code: 'NOT_FOUND' });
    }
    const [{ name }] = await server.dataSource.query(`SELECT name FROM brief_definition WHERE id = $1`, [fromGlobalId(own.id, 'id').id]);
    expect(name).toBe('renamed');
    expect(dataOf(await server.gqlAs(keys.reporter, DELETE, { id: colleagues.id })).deleteBriefDefinition).toBe(colleagues.id);
    expect(dataOf(await server.gqlAs(keys.reporter, DELETE, { id: own.id })).deleteBriefDefinition).toBe(own.id);
    expect(await server.dataSource.query(`SELECT id FROM brief_definition`)).toEqual([]);
  });

  test('roles without it cannot manage definitions; a reporter cannot manage keys; an admin mints reporters', async () => {
    const d = await define(server.key, 'guarded');
    for (const role of ['analyst', 'releaser']) {
      for (const [query, variables] of [
        [CREATE, { input: { name: 'nope', brief: DPRK, cron: YEARLY } }],
        [UPDATE, { id: d.id }],
        [PAUSE, { id: d.id }],
        [DELETE, { id: d.id }],
      ] as const) {
        expect({ role, query, code: await codeOf(keys[role], query, variables) }).toEqual({ role, query, code: 'FORBIDDEN' });
      }
    }
    const [{ count }] = await server.dataSource.query(`SELECT count(*)::int AS count FROM brief_definition`);
    expect(count).toBe(1);

    const input = (name: string, role: string) => ({ input: { name, role, clearance: 'GREEN' } });
    const [{ id: keyId }] = await server.dataSource.query(`SELECT id FROM api_key WHERE principal = 'test-org/analyst'`);
    for (const [query, variables] of [
      [MINT, input('by-reporter', 'VIEWER')],
      [MINT, input('by-reporter-2', 'REPORTER')],
      [`mutation($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: toGlobalId('ApiKey', keyId) }],
      [`{ apiKeys { id } }`, {}],
    ] as const) {
      expect({ query, code: await codeOf(keys.reporter, query, variables) }).toEqual({ query, code: 'FORBIDDEN' });
    }
    const [{ revoked, minted }] = await server.dataSource.query(
      `SELECT count(*) FILTER (WHERE revoked_at IS NOT NULL)::int AS revoked, count(*) FILTER (WHERE principal LIKE '%by-reporter%')::int AS minted FROM api_key`,
    );
    expect({ revoked, minted }).toEqual({ revoked: 0, minted: 0 });

    // A reporter still does what an analyst does.
    expect(dataOf(await server.gqlAs(keys.reporter, `{ viewer { role } }`)).viewer.role).toBe('REPORTER');
    const topic = dataOf(
      await server.gqlAs(keys.reporter, `mutation($input: TopicInput!) { createTopic(input: $input) { id } }`, {
        input: { slug: 'reporter-topic', title: 'A reporter’s topic', summary: 'Written by a reporter.' },
      }),
    ).createTopic;
    expect(topic.id).toEqual(expect.any(String));

    const created = dataOf(await server.gql(MINT, input('minted-reporter', 'REPORTER'))).createApiKey;
    expect(created.apiKey.role).toBe('REPORTER');
    const mine = await define(created.key, 'minted reporter’s');
    expect(dataOf(await server.gqlAs(created.key, PAUSE, { id: mine.id })).pauseBriefDefinition).toEqual({ paused: true });
    expect(await codeOf(created.key, MINT, input('by-minted', 'VIEWER'))).toBe('FORBIDDEN');
  });
});

describe('a definition is never released by an update', () => {
  const REMARK = `mutation($id: ID!, $clearance: Marking!) {
    updateBriefDefinition(id: $id, input: { brief: { topics: ["dprk-troops-in-russia"], clearance: $clearance } }) { marking }
  }`;
  const SEE = `query($id: ID!) { briefDefinition(id: $id) { name } }`;

  test('lowering its clearance is FORBIDDEN to reporters and admins alike, and GREEN readers still cannot see it', async () => {
    const amber = dataOf(
      await server.gqlAs(keys.owner, CREATE, { input: { name: 'colleague’s amber', brief: { ...DPRK, clearance: 'AMBER' }, cron: YEARLY } }),
    ).createBriefDefinition;
    for (const as of ['amber-reporter', 'owner']) {
      for (const clearance of ['GREEN', 'CLEAR']) {
        const error = (await server.gqlAs(keys[as], REMARK, { id: amber.id, clearance })).body.errors?.[0];
        expect({ as, clearance, code: error?.extensions?.code }).toEqual({ as, clearance, code: 'FORBIDDEN' });
      }
    }
    const [row] = await server.dataSource.query(`SELECT marking, input->>'clearance' AS clearance FROM brief_definition WHERE id = $1`, [
      fromGlobalId(amber.id, 'id').id,
    ]);
    expect(row).toEqual({ marking: 'AMBER', clearance: 'AMBER' });
    expect((await server.gqlAs(keys.reporter, SEE, { id: amber.id })).body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(await server.dataSource.query(`SELECT id FROM release WHERE item_id = $1`, [fromGlobalId(amber.id, 'id').id])).toEqual([]);

    // Keeping or raising it narrows who reads it: allowed.
    expect(dataOf(await server.gqlAs(keys['amber-reporter'], REMARK, { id: amber.id, clearance: 'AMBER' })).updateBriefDefinition).toEqual({
      marking: 'AMBER',
    });
    const green = await define(keys.reporter, 'raised');
    expect(dataOf(await server.gqlAs(keys['amber-reporter'], REMARK, { id: green.id, clearance: 'AMBER' })).updateBriefDefinition).toEqual({
      marking: 'AMBER',
    });
  });
});

describe('retention', () => {
  const ROWS = `SELECT id, status, scheduled_for FROM brief_run WHERE definition_id = $1 ORDER BY scheduled_for DESC`;
  const left = async (d: { id: string }) =>
    (await server.dataSource.query(ROWS, [fromGlobalId(d.id, 'id').id])).map((r: any) => `${r.scheduled_for.toISOString().slice(0, 10)} ${r.status}`);
  const queue = (d: { id: string }, at: Date) => insertRun(d.id, { at, status: 'QUEUED' });
  const run = async (d: { id: string }, at: Date) => {
    const id = await queue(d, at);
    await executeRun(server.dataSource, fromGlobalId(id, 'id').id);
    return id;
  };

  test('keepRuns keeps the newest runs, and always the run just finished', async () => {
    const d = await define(server.key, 'keep two', { keepRuns: 2 });
    expect(d.keepRuns).toBe(2);
    for (const y of [2001, 2002, 2003, 2004]) await run(d, year(y));
    expect(await left(d)).toEqual(['2004-01-01 SUCCEEDED', '2003-01-01 SUCCEEDED']);
    // A run for an older occurrence, finished last, stays; the newest run stays too, as the next delta's baseline.
    dataOf(await server.gql(`mutation($id: ID!) { updateBriefDefinition(id: $id, input: { keepRuns: 1 }) { id } }`, { id: d.id }));
    await run(d, year(2000));
    expect(await left(d)).toEqual(['2004-01-01 SUCCEEDED', '2000-01-01 SUCCEEDED']);
    const runs = dataOf(await server.gql(PAGE, { d: d.id })).briefRuns;
    expect(runs.totalCount).toBe(2);
  });

  test('open runs and the baselines their deltas need are never pruned', async () => {
    const d = await define(server.key, 'keep one', { keepRuns: 1 });
    const baseline = await run(d, year(2001));
    await insertRun(d.id, { at: new Date('2001-06-01T00:00:00Z'), status: 'MISSED' });
    const queued = await queue(d, year(2002));
    const running = await insertRun(d.id, { at: year(2003), status: 'QUEUED' });
    // Held by a live attempt of another process.
    await server.dataSource.query(
      `UPDATE brief_run SET status = 'RUNNING', started_at = now(), attempt = gen_random_uuid(), lease_expires_at = now() + interval '1 hour' WHERE id = $1`,
      [fromGlobalId(running, 'id').id],
    );
    await run(d, year(2004));
    expect(await left(d)).toEqual(['2004-01-01 SUCCEEDED', '2003-01-01 RUNNING', '2002-01-01 QUEUED', '2001-01-01 SUCCEEDED']);

    // The queued run composes against the run kept for it; then that one may go, and the next baseline stays.
    await executeRun(server.dataSource, fromGlobalId(queued, 'id').id);
    const composed = dataOf(await server.gql(`query($id: ID!) { briefRun(id: $id) { status delta { baselineRunId } } }`, { id: queued })).briefRun;
    expect(composed).toEqual({ status: 'SUCCEEDED', delta: { baselineRunId: baseline } });
    expect(await left(d)).toEqual(['2004-01-01 SUCCEEDED', '2003-01-01 RUNNING', '2002-01-01 SUCCEEDED']);
  });

  test('keepDays prunes runs scheduled longer ago, never the run just finished nor the newest successful one', async () => {
    const day = 86_400_000;
    const ago = (days: number) => new Date(Date.now() - days * day);
    const d = await define(server.key, 'keep a year', { keepDays: 365 });
    await run(d, ago(1000));
    expect((await left(d)).length).toBe(1);
    await run(d, ago(800));
    // The older one went; the one just finished stays, however old.
    expect((await left(d)).length).toBe(1);
    await run(d, ago(10));
    await run(d, ago(5));
    const recent = await left(d);
    expect(recent.length).toBe(2);
    expect(recent.every((r: string) => r.endsWith('SUCCEEDED'))).toBe(true);
    // With no limits, nothing is pruned.
    dataOf(await server.gql(`mutation($id: ID!) { updateBriefDefinition(id: $id, input: { keepDays: null }) { keepDays } }`, { id: d.id }));
    await run(d, ago(2000));
    expect((await left(d)).length).toBe(3);
  });

  test('bad keepRuns and keepDays are BAD_USER_INPUT naming the field, and nothing changes', async () => {
    const d = await define(server.key, 'bounded', { keepRuns: 5 });
    const UPDATE = `mutation($id: ID!, $input: BriefDefinitionPatch!) { updateBriefDefinition(id: $id, input: $input) { keepRuns keepDays } }`;
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ keepRuns: 0 }, 'input.keepRuns'],
      [{ keepRuns: -3 }, 'input.keepRuns'],
      [{ keepRuns: 10_001 }, 'input.keepRuns'],
      [{ keepDays: 0 }, 'input.keepDays'],
      [{ keepDays: 3_661 }, 'input.keepDays'],
    ];
    for (const [patch, field] of cases) {
      for (const [query, variables] of [
        [CREATE, { input: { name: 'bad', brief: DPRK, cron: YEARLY, ...patch } }],
        [UPDATE, { id: d.id, input: patch }],
      ] as const) {
        const response = await server.gql(query, variables);
        const error = response.body.errors?.[0];
        expect({ patch, code: error?.extensions?.code, field: error?.extensions?.argumentName }).toEqual({ patch, code: 'BAD_USER_INPUT', field });
      }
    }
    // Not integers at all: refused by GraphQL itself, as bad input too (200 to a client that accepts any type).
    for (const value of [1.5, 'ten', 2 ** 31]) {
      const response = await server.gql(UPDATE, { id: d.id, input: { keepDays: value } });
      expect({ value, status: response.status, code: response.body.errors?.[0]?.extensions?.code }).toEqual({ value, status: 200, code: 'BAD_USER_INPUT' });
    }
    const now = dataOf(await server.gql(`query($id: ID!) { briefDefinition(id: $id) { keepRuns keepDays } }`, { id: d.id }));
    expect(now.briefDefinition).toEqual({ keepRuns: 5, keepDays: null });
    const [{ count }] = await server.dataSource.query(`SELECT count(*)::int AS count FROM brief_definition`);
    expect(count).toBe(1);
    // The limits are kept and cleared through the API.
    const both = dataOf(await server.gql(UPDATE, { id: d.id, input: { keepRuns: 10_000, keepDays: 3_660 } }));
    expect(both.updateBriefDefinition).toEqual({ keepRuns: 10_000, keepDays: 3_660 });
    const cleared = dataOf(await server.gql(UPDATE, { id: d.id, input: { keepRuns: null } }));
    expect(cleared.updateBriefDefinition).toEqual({ keepRuns: null, keepDays: 3_660 });
  });
});
