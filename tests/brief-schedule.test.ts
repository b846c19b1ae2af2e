import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../src/db/data-source';
import { BriefScheduler } from '../src/modules/brief-run/brief-scheduler';
import { executeRun, WITHDRAWN } from '../src/modules/brief-run/brief-run.service';
import { Marking } from '../src/common/marking';
import { createKey } from '../src/modules/identity/api-key.service';
import { Role } from '../src/modules/identity/role';
import { fixtureId } from '../src/modules/fixture/fixture.ids';
import { fromGlobalId, toGlobalId } from '../src/read/global-id';
import { addMarkedLayer, AMBER_STATEMENT, ids as markedIds } from './support/marked-layer';
import { dataOf, startTestServer, TestServer } from './support/server';
import { captureLog } from './support/captured-log';

// Definitions here fall due every 1 January (UTC); ticks are given the time, so each test picks its occurrences.
const YEARLY = '0 0 1 1 *';
const at = (year: number) => new Date(`${year}-01-01T00:00:05Z`);
const DPRK = { topics: ['dprk-troops-in-russia'] };

let server: TestServer;
const instances: Array<{ scheduler: BriefScheduler; dataSource: DataSource }> = [];

/** One more service instance's scheduler on the test database, with its own connections. */
async function startInstance() {
  const dataSource = createDataSource(server.databaseUrl);
  await dataSource.initialize();
  const scheduler = await BriefScheduler.start(dataSource, { connectionString: server.databaseUrl, tickMs: 3_600_000, pollSeconds: 0.5 });
  instances.push({ scheduler, dataSource });
  return scheduler;
}

beforeAll(async () => {
  server = await startTestServer();
});
// Each test starts with no definitions, so a tick only finds what the test defined.
afterEach(() => server.dataSource.query('DELETE FROM brief_definition'));
afterAll(async () => {
  for (const { scheduler, dataSource } of instances) {
    await scheduler.stop();
    await dataSource.destroy();
  }
  await server.close();
});

const CREATE = `mutation($input: BriefDefinitionInput!) { createBriefDefinition(input: $input) { id name nextRunAt paused formats input } }`;
const RUNS = `query($d: ID!) {
  briefRuns(definition: $d, first: 100) {
    nodes {
      id status scheduledFor contentHash markdown marking
      delta { baseline baselineRunId added { id text } removed { id text } changed { id changes } unchanged }
    }
  }
}`;

async function define(name: string, extra: Record<string, unknown> = {}) {
  const input = { name, brief: DPRK, cron: YEARLY, timeZone: 'UTC', formats: ['MARKDOWN', 'JSON'], ...extra };
  return dataOf(await server.gql(CREATE, { input })).createBriefDefinition;
}

const rowsOf = (definitionId: string) =>
  server.dataSource.query(`SELECT id, status, scheduled_for FROM brief_run WHERE definition_id = $1 ORDER BY scheduled_for`, [
    fromGlobalId(definitionId, 'id').id,
  ]);

/** Waits until no run of these definitions is queued or running. */
async function settled(definitionIds: string[]) {
  const ids = definitionIds.map((d) => fromGlobalId(d, 'id').id);
  for (let waited = 0; waited < 20_000; waited += 100) {
    const [{ open }] = await server.dataSource.query(
      `SELECT count(*)::int AS open FROM brief_run WHERE definition_id = ANY($1::uuid[]) AND status IN ('QUEUED', 'RUNNING')`,
      [ids],
    );
    if (open === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('runs did not finish within 20 s');
}

test('two scheduler instances on one database run each due occurrence exactly once', async () => {
  const [a, b] = [await startInstance(), await startInstance()];
  const definitions = await Promise.all(Array.from({ length: 8 }, (_, i) => define(`exactly-once ${i}`)));
  const ids = definitions.map((d) => d.id);
  // Both instances tick for the same due time, many times over, at once.
  const queued = await Promise.all([a, b, a, b, a, b].map((s) => s.tick(at(2027))));
  expect(queued.reduce((x, y) => x + y, 0)).toBe(8);
  await settled(ids);
  for (const id of ids) {
    const runs = await rowsOf(id);
    expect(runs.map((r: any) => [r.status, r.scheduled_for.toISOString()])).toEqual([['SUCCEEDED', '2027-01-01T00:00:00.000Z']]);
  }
  const [{ jobs, retried }] = await server.dataSource.query(
    `SELECT count(*)::int AS jobs, count(*) FILTER (WHERE retry_count > 0)::int AS retried FROM pgboss.job WHERE name = 'brief-run'`,
  );
  expect({ jobs, retried }).toEqual({ jobs: 8, retried: 0 });
  // Ticking again at the same time finds nothing due.
  expect(await a.tick(at(2027))).toBe(0);
});

test('after downtime the missed occurrences are recorded and the latest one runs once', async () => {
  const scheduler = instances[0].scheduler;
  const d = await define('catch-up');
  expect(await scheduler.tick(at(2031))).toBe(1);
  await settled([d.id]);
  const runs = await rowsOf(d.id);
  expect(runs.map((r: any) => [r.scheduled_for.getUTCFullYear(), r.status])).toEqual([
    [2027, 'MISSED'],
    [2028, 'MISSED'],
    [2029, 'MISSED'],
    [2030, 'MISSED'],
    [2031, 'SUCCEEDED'],
  ]);
  const [definition] = await server.dataSource.query(`SELECT next_run_at FROM brief_definition WHERE id = $1`, [fromGlobalId(d.id, 'id').id]);
  expect(definition.next_run_at.toISOString()).toBe('2032-01-01T00:00:00.000Z');
});

test('a paused definition never falls due', async () => {
  const scheduler = instances[0].scheduler;
  const d = await define('paused');
  const paused = dataOf(await server.gql(`mutation($id: ID!) { pauseBriefDefinition(id: $id) { paused nextRunAt } }`, { id: d.id }));
  expect(paused.pauseBriefDefinition).toEqual({ paused: true, nextRunAt: null });
  await scheduler.tick(at(2030));
  expect(await rowsOf(d.id)).toEqual([]);
  const resumed = dataOf(await server.gql(`mutation($id: ID!) { resumeBriefDefinition(id: $id) { paused nextRunAt } }`, { id: d.id }));
  expect(resumed.resumeBriefDefinition.paused).toBe(false);
  expect(new Date(resumed.resumeBriefDefinition.nextRunAt).getTime()).toBeGreaterThan(Date.now());
});

test('a change to the data shows up in the next run’s delta, and nothing else does', async () => {
  const scheduler = instances[0].scheduler;
  const d = await define('delta');
  const capability = (key: string) => fixtureId('topic', 'dprk-troops-in-russia', 'capabilities', key);
  const challenge = (key: string) => fixtureId('topic', 'dprk-troops-in-russia', 'challenges', key);
  await scheduler.tick(at(2027));
  await settled([d.id]);
  const beforeChange = new Date();

  const added = '00000000-0000-4000-8000-00000000d001';
  await server.dataSource.query(`UPDATE capability SET statement = 'The KPA has about 7 million reservists.', updated_at = now() WHERE id = $1`, [
    capability('kpa-reserve-manpower'),
  ]);
  await server.dataSource.query(`DELETE FROM challenge WHERE id = $1`, [challenge('no-joint-training-history')]);
  await server.dataSource.query(
    `INSERT INTO capability (id, topic_id, actor_id, category, statement) VALUES ($1, $2, $3, 'EQUIPMENT', 'The KPA fields new artillery.')`,
    [added, fixtureId('topic', 'dprk-troops-in-russia'), fixtureId('actor', 'korean-peoples-army')],
  );
  await server.dataSource.query(
    `INSERT INTO citation (id, source_id, verb, quote, credibility, capability_id) VALUES (gen_random_uuid(), $1, 'REPORTS', 'q', 3, $2)`,
    [fixtureId('source', 'army-recognition-2024-10-19'), added],
  );
  await scheduler.tick(at(2028));
  await settled([d.id]);
  await scheduler.tick(at(2029));
  await settled([d.id]);

  const runs = dataOf(await server.gql(RUNS, { d: d.id })).briefRuns.nodes;
  expect(runs.map((r: any) => [r.scheduledFor, r.status])).toEqual([
    ['2029-01-01T00:00:00.000Z', 'SUCCEEDED'],
    ['2028-01-01T00:00:00.000Z', 'SUCCEEDED'],
    ['2027-01-01T00:00:00.000Z', 'SUCCEEDED'],
  ]);
  const [noChange, changed, first] = runs;
  expect(first.delta).toBeNull();
  const expected = {
    baseline: 'RUN',
    baselineRunId: first.id,
    added: [{ id: toGlobalId('Capability', added), text: 'The KPA fields new artillery.' }],
    removed: [
      {
        id: toGlobalId('Challenge', challenge('no-joint-training-history')),
        text: 'Russia and North Korea have historically lacked joint training exercises.',
      },
    ],
    changed: [{ id: toGlobalId('Capability', capability('kpa-reserve-manpower')), changes: ['text'] }],
    unchanged: 47,
  };
  expect(changed.delta).toEqual(expected);
  expect(changed.contentHash).not.toBe(first.contentHash);
  expect(changed.markdown).toContain('The KPA fields new artillery.');
  expect(noChange.delta).toEqual({ baseline: 'RUN', baselineRunId: changed.id, added: [], removed: [], changed: [], unchanged: 49 });
  expect(noChange.contentHash).toBe(changed.contentHash);

  const latest = dataOf(await server.gql(`query($d: ID!) { latestBriefRun(definition: $d) { id brief { title marking } } }`, { d: d.id }));
  expect(latest.latestBriefRun).toEqual({ id: noChange.id, brief: { title: 'North Korean troop deployment to Russia, 2024', marking: 'CLEAR' } });

  // Ad hoc: "what changed since then" for the same input is exact against the stored run...
  const DELTA = `query($input: BriefInput!, $since: DateTime!) {
    briefDelta(input: $input, since: $since) { baseline baselineRunId added { id text } removed { id text } changed { id changes } unchanged }
  }`;
  const exact = dataOf(await server.gql(DELTA, { input: DPRK, since: beforeChange.toISOString() })).briefDelta;
  expect(exact).toEqual(expected);
  // ...and, for an input no run has stored, judged from the history: additions and changes with what changed, removals unknown.
  const other = { ...DPRK, limitPerSection: 11 };
  const byTime = dataOf(await server.gql(DELTA, { input: other, since: beforeChange.toISOString() })).briefDelta;
  expect(byTime).toEqual({
    baseline: 'TIMESTAMPS',
    baselineRunId: null,
    added: expected.added,
    removed: [],
    changed: [{ id: expected.changed[0].id, changes: ['text'] }],
    unchanged: 47,
  });
});

test('bad definitions are BAD_USER_INPUT naming the field, a taken name is CONFLICT, and nothing is stored', async () => {
  const [{ before }] = await server.dataSource.query(`SELECT count(*)::int AS before FROM brief_definition`);
  const cases: Array<[Record<string, unknown>, string, string | undefined]> = [
    [{ cron: 'every monday' }, 'BAD_USER_INPUT', 'input.cron'],
    [{ cron: '61 * * * *' }, 'BAD_USER_INPUT', 'input.cron'],
    [{ timeZone: 'Mars/Olympus_Mons' }, 'BAD_USER_INPUT', 'input.timeZone'],
    [{ brief: { topics: ['no-such-topic'] } }, 'BAD_USER_INPUT', 'input.brief.topics'],
    [{ brief: {} }, 'BAD_USER_INPUT', 'input.brief'],
    [{ brief: { ...DPRK, minCredibility: 9 } }, 'BAD_USER_INPUT', 'input.brief.minCredibility'],
    [{ brief: { ...DPRK, clearance: 'RED' } }, 'BAD_USER_INPUT', 'input.brief.clearance'],
    [{ name: '  ' }, 'BAD_USER_INPUT', 'input.name'],
    [{ formats: [] }, 'BAD_USER_INPUT', 'input.formats'],
    [{ cron: '' }, 'BAD_USER_INPUT', 'input.cron'],
    [{ cron: '*/5 * * * * *' }, 'BAD_USER_INPUT', 'input.cron'],
    [{ cron: '2027-01-01T00:00:00' }, 'BAD_USER_INPUT', 'input.cron'],
    [{ timeZone: '' }, 'BAD_USER_INPUT', 'input.timeZone'],
  ];
  for (const [override, code, field] of cases) {
    const input = { name: 'bad', brief: DPRK, cron: YEARLY, ...override };
    const error = (await server.gql(CREATE, { input })).body.errors?.[0];
    expect({ override, code: error?.extensions?.code, field: error?.extensions?.argumentName }).toEqual({ override, code, field });
  }
  await define('taken');
  const taken = (await server.gql(CREATE, { input: { name: 'taken', brief: DPRK, cron: YEARLY } })).body.errors?.[0];
  expect(taken?.extensions?.code).toBe('CONFLICT');
  const [{ after }] = await server.dataSource.query(`SELECT count(*)::int AS after FROM brief_definition`);
  expect(after).toBe(before + 1);

  const missing = toGlobalId('BriefDefinition', '00000000-0000-4000-8000-000000000000');
  const notFound = (await server.gql(`query($d: ID!) { briefRuns(definition: $d) { nodes { id } } }`, { d: missing })).body.errors?.[0];
  expect(notFound?.extensions?.code).toBe('NOT_FOUND');
});

test('definitions can be updated and deleted, with their runs', async () => {
  const d = await define('to change');
  const UPDATE = `mutation($id: ID!, $input: BriefDefinitionPatch!) { updateBriefDefinition(id: $id, input: $input) { name cron timeZone nextRunAt formats } }`;
  const updated = dataOf(await server.gql(UPDATE, { id: d.id, input: { name: 'changed', cron: '0 9 * * 1', timeZone: 'Europe/London', formats: ['HTML'] } }));
  expect(updated.updateBriefDefinition).toMatchObject({ name: 'changed', cron: '0 9 * * 1', timeZone: 'Europe/London', formats: ['HTML'] });
  const next = new Date(updated.updateBriefDefinition.nextRunAt);
  expect(next.getUTCDay()).toBe(1);
  for (const [patch, field] of [
    [{ cron: 'nope' }, 'input.cron'],
    [{ cron: '' }, 'input.cron'],
    [{ timeZone: '' }, 'input.timeZone'],
    [{ brief: { topics: ['no-such-topic'] } }, 'input.brief.topics'],
  ] as const) {
    const badUpdate = (await server.gql(UPDATE, { id: d.id, input: patch })).body.errors?.[0];
    expect({ patch, code: badUpdate?.extensions?.code, field: badUpdate?.extensions?.argumentName }).toEqual({ patch, code: 'BAD_USER_INPUT', field });
  }
  expect(dataOf(await server.gql(`query($id: ID!) { briefDefinition(id: $id) { cron } }`, { id: d.id })).briefDefinition.cron).toBe('0 9 * * 1');
  const deleted = dataOf(await server.gql(`mutation($id: ID!) { deleteBriefDefinition(id: $id) }`, { id: d.id }));
  expect(deleted.deleteBriefDefinition).toBe(d.id);
  const gone = (await server.gql(`query($id: ID!) { briefDefinition(id: $id) { id } }`, { id: d.id })).body.errors?.[0];
  expect(gone?.extensions?.code).toBe('NOT_FOUND');
});

test('definitions and their runs are marked with their clearance: readers below it cannot see or touch them', async () => {
  const scheduler = instances[0].scheduler;
  const amber = await startTestServer({ VIEWER_CLEARANCE: 'AMBER' }, server.databaseUrl);
  try {
    await addMarkedLayer(server.dataSource);
    const d = dataOf(await amber.gql(CREATE, { input: { name: 'amber', brief: DPRK, cron: YEARLY } })).createBriefDefinition;
    expect(d.input.clearance).toBe('AMBER');
    await scheduler.tick(at(2027));
    await settled([d.id]);
    // The AMBER statements go (the seed's marked layer too): the next brief is CLEAR, but its delta names them.
    await server.dataSource.query(`DELETE FROM capability WHERE id = ANY($1::uuid[])`, [[markedIds.amberCapability, markedIds.capabilityOfAmberActor]]);
    await server.dataSource.query(`DELETE FROM challenge WHERE marking <> 'CLEAR'`);
    await server.dataSource.query(`DELETE FROM implication WHERE marking <> 'CLEAR'`);
    await scheduler.tick(at(2028));
    await settled([d.id]);
    await scheduler.tick(at(2029));
    await settled([d.id]);
    const amberRuns = dataOf(await amber.gql(RUNS, { d: d.id })).briefRuns.nodes;
    expect(amberRuns.map((r: any) => [r.scheduledFor.slice(0, 4), r.marking])).toEqual([
      ['2029', 'CLEAR'],
      ['2028', 'AMBER'],
      ['2027', 'AMBER'],
    ]);
    expect(amberRuns[1].delta.removed.map((r: any) => r.id)).toContain(toGlobalId('Capability', markedIds.amberCapability));

    // A GREEN reader sees neither the definition nor any of its runs, and cannot change it.
    expect(dataOf(await server.gql(`{ briefDefinitions { id } }`)).briefDefinitions).toEqual([]);
    for (const query of [
      `query($d: ID!) { briefRuns(definition: $d) { nodes { id } } }`,
      `query($d: ID!) { latestBriefRun(definition: $d) { id } }`,
      `query($d: ID!) { briefDefinition(id: $d) { id } }`,
      `mutation($d: ID!) { pauseBriefDefinition(id: $d) { id } }`,
      `mutation($d: ID!) { updateBriefDefinition(id: $d, input: { name: "mine now" }) { id } }`,
      `mutation($d: ID!) { deleteBriefDefinition(id: $d) }`,
    ]) {
      const response = await server.gql(query, { d: d.id });
      expect({ query, code: response.body.errors?.[0]?.extensions?.code }).toEqual({ query, code: 'NOT_FOUND' });
      expect(JSON.stringify(response.body)).not.toContain(AMBER_STATEMENT);
    }
    expect(dataOf(await amber.gql(`query($d: ID!) { briefDefinition(id: $d) { name paused } }`, { d: d.id })).briefDefinition).toEqual({
      name: 'amber',
      paused: false,
    });
  } finally {
    await amber.close();
  }
});

test('a statement marked above the clearance after a run keeps its id in the next delta, not its text', async () => {
  const scheduler = instances[0].scheduler;
  const d = await define('re-marked');
  const language = fixtureId('topic', 'dprk-troops-in-russia', 'challenges', 'language-barrier');
  await scheduler.tick(at(2027));
  await settled([d.id]);
  await server.dataSource.query(`UPDATE challenge SET marking = 'AMBER', updated_at = now() WHERE id = $1`, [language]);
  await scheduler.tick(at(2028));
  await settled([d.id]);
  const [latest] = dataOf(await server.gql(RUNS, { d: d.id })).briefRuns.nodes;
  expect(latest.delta.removed).toEqual([{ id: toGlobalId('Challenge', language), text: WITHDRAWN }]);
  expect(JSON.stringify(latest)).not.toContain('Few North Korean soldiers are fluent in Russian');
  await server.dataSource.query(`UPDATE challenge SET marking = 'CLEAR' WHERE id = $1`, [language]);
});

test('a definition whose stored schedule cannot be read is paused, and does not hold up the others', async () => {
  const scheduler = instances[0].scheduler;
  const [broken, fine] = [await define('broken'), await define('fine')];
  await server.dataSource.query(`UPDATE brief_definition SET cron = 'not a cron' WHERE id = $1`, [fromGlobalId(broken.id, 'id').id]);
  const log = captureLog();
  expect(await scheduler.tick(at(2027))).toBe(1);
  log.restore();
  expect(log.entries.map((e) => e.msg)).toContainEqual(expect.stringContaining('pausing definition'));
  await settled([fine.id]);
  expect((await rowsOf(fine.id)).map((r: any) => r.status)).toEqual(['SUCCEEDED']);
  const state = dataOf(await server.gql(`query($d: ID!) { briefDefinition(id: $d) { paused nextRunAt } }`, { d: broken.id }));
  expect(state.briefDefinition).toEqual({ paused: true, nextRunAt: null });
});

test('a run is composed by one attempt at a time: a busy run is retried later, an abandoned one taken over', async () => {
  const d = await define('attempts');
  const definitionId = fromGlobalId(d.id, 'id').id;
  const insertRun = async (year: number) => {
    const [row] = await server.dataSource.query(
      `INSERT INTO brief_run (id, definition_id, scheduled_for, status, marking, input)
       SELECT gen_random_uuid(), id, $2, 'QUEUED', marking, input FROM brief_definition WHERE id = $1 RETURNING id`,
      [definitionId, at(year)],
    );
    return row.id as string;
  };
  const state = async (id: string) => (await server.dataSource.query(`SELECT status, attempt, finished_at FROM brief_run WHERE id = $1`, [id]))[0];

  const busy = await insertRun(2030);
  await server.dataSource.query(`UPDATE brief_run SET status = 'RUNNING', started_at = now(), attempt = gen_random_uuid() WHERE id = $1`, [busy]);
  const held = await state(busy);
  await expect(executeRun(server.dataSource, busy)).rejects.toThrow('being composed by another attempt');
  expect(await state(busy)).toEqual(held);

  await server.dataSource.query(`UPDATE brief_run SET started_at = now() - interval '10 minutes' WHERE id = $1`, [busy]);
  await executeRun(server.dataSource, busy);
  const takenOver = await state(busy);
  expect(takenOver.status).toBe('SUCCEEDED');
  expect(takenOver.attempt).not.toBe(held.attempt);

  const contended = await insertRun(2031);
  const results = await Promise.allSettled([1, 2, 3].map(() => executeRun(server.dataSource, contended)));
  expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThanOrEqual(1);
  for (const r of results) if (r.status === 'rejected') expect(String(r.reason)).toContain('being composed by another attempt');
  expect((await state(contended)).status).toBe('SUCCEEDED');

  // A finished run is left as it is.
  const done = await state(contended);
  await executeRun(server.dataSource, contended);
  expect(await state(contended)).toEqual(done);
});

test('deltas compare runs of the same input, and see a source regraded', async () => {
  const scheduler = instances[0].scheduler;
  const d = await define('regrade');
  await scheduler.tick(at(2027));
  await settled([d.id]);
  const afterFirst = new Date();
  const army = fixtureId('source', 'army-recognition-2024-10-19');
  await server.dataSource.query(`UPDATE source SET reliability = 'D' WHERE id = $1`, [army]);
  await scheduler.tick(at(2028));
  await settled([d.id]);
  const [latest] = dataOf(await server.gql(RUNS, { d: d.id })).briefRuns.nodes;
  expect(latest.delta.changed.length).toBeGreaterThan(0);
  for (const item of latest.delta.changed) expect(item.changes).toEqual(['sources']);
  await server.dataSource.query(`UPDATE source SET reliability = 'C' WHERE id = $1`, [army]);

  // After the definition's input changes, an ad hoc delta of the old input still compares with the runs of the old input.
  const UPDATE = `mutation($id: ID!, $input: BriefDefinitionPatch!) { updateBriefDefinition(id: $id, input: $input) { id } }`;
  dataOf(await server.gql(UPDATE, { id: d.id, input: { brief: { ...DPRK, limitPerSection: 5 } } }));
  const DELTA = `query($input: BriefInput!, $since: DateTime!) { briefDelta(input: $input, since: $since) { baseline baselineRunId } }`;
  const old = dataOf(await server.gql(DELTA, { input: DPRK, since: afterFirst.toISOString() })).briefDelta;
  expect(old).toEqual({ baseline: 'RUN', baselineRunId: dataOf(await server.gql(RUNS, { d: d.id })).briefRuns.nodes[1].id });
  const fresh = dataOf(await server.gql(DELTA, { input: { ...DPRK, limitPerSection: 5 }, since: afterFirst.toISOString() })).briefDelta;
  expect(fresh.baseline).toBe('TIMESTAMPS');
});

test('when an actor a relation names is marked higher, earlier runs hide and the delta withdraws the relation', async () => {
  const scheduler = instances[0].scheduler;
  const d = await define('re-marked actor');
  const southKorea = fixtureId('actor', 'south-korea');
  const relation = fixtureId('topic', 'dprk-troops-in-russia', 'relations', 'dprk-opposes-south-korea');
  await scheduler.tick(at(2027));
  await settled([d.id]);
  await server.dataSource.query(`UPDATE actor SET marking = 'AMBER' WHERE id = $1`, [southKorea]);
  try {
    await scheduler.tick(at(2028));
    await settled([d.id]);
    const runs = dataOf(await server.gql(RUNS, { d: d.id })).briefRuns.nodes;
    // The 2027 run named South Korea as the object of a relation: it is hidden now.
    expect(runs.map((r: any) => r.scheduledFor.slice(0, 4))).toEqual(['2028']);
    expect(runs[0].delta.removed).toEqual([{ id: toGlobalId('ActorRelation', relation), text: WITHDRAWN }]);
    expect(JSON.stringify(runs)).not.toContain('opposes South Korea');
  } finally {
    await server.dataSource.query(`UPDATE actor SET marking = 'CLEAR' WHERE id = $1`, [southKorea]);
  }
});

test('only the owner’s organisation may change a definition, and a run needs an owner who still holds the clearance', async () => {
  const scheduler = instances[0].scheduler;
  const other = (await createKey(server.dataSource.manager, { name: 'other-admin', role: Role.ADMIN, clearance: Marking.GREEN, organisation: 'other-org' }))
    .key;
  const owner = (await createKey(server.dataSource.manager, { name: 'owner', role: Role.ADMIN, clearance: Marking.GREEN, organisation: 'test-org' })).key;
  const d = dataOf(await server.gqlAs(owner, CREATE, { input: { name: 'owned', brief: DPRK, cron: YEARLY } })).createBriefDefinition;
  const pause = await server.gqlAs(other, `mutation($id: ID!) { pauseBriefDefinition(id: $id) { id } }`, { id: d.id });
  expect(pause.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  // A colleague of the same organisation may.
  dataOf(await server.gql(`mutation($id: ID!) { updateBriefDefinition(id: $id, input: { name: "owned too" }) { id } }`, { id: d.id }));

  await server.dataSource.query(`UPDATE api_key SET revoked_at = now() WHERE principal = 'test-org/owner'`);
  await scheduler.tick(at(2027));
  await settled([d.id]);
  const [run] = await rowsOf(d.id);
  expect(run.status).toBe('FAILED');
  const [{ error }] = await server.dataSource.query(`SELECT error FROM brief_run WHERE id = $1`, [run.id]);
  expect(error).toContain('test-org/owner has no live key');
  const state = dataOf(await server.gql(`query($d: ID!) { briefDefinition(id: $d) { paused } }`, { d: d.id }));
  expect(state.briefDefinition.paused).toBe(true);
});

test('a statement marked higher and then deleted stays hidden in earlier runs, and withdrawn in the next delta', async () => {
  const scheduler = instances[0].scheduler;
  const d = await define('raised then deleted');
  const created = dataOf(
    await server.gql(`mutation($input: ChallengeInput!) { createChallenge(input: $input) { id } }`, {
      input: {
        topic: 'dprk-troops-in-russia',
        actor: toGlobalId('Actor', fixtureId('actor', 'korean-peoples-army')),
        category: 'LOGISTICS',
        statement: 'RAISED-THEN-DELETED: supply lines to Kursk are thin.',
        citations: [{ source: toGlobalId('Source', fixtureId('source', 'article')), verb: 'ASSESSES', quote: 'q', credibility: 3 }],
      },
    }),
  ).createChallenge;
  const id = fromGlobalId(created.id, 'id').id;
  await scheduler.tick(at(2027));
  await settled([d.id]);
  expect(JSON.stringify(dataOf(await server.gql(RUNS, { d: d.id })))).toContain('RAISED-THEN-DELETED');
  // Marked above the reader (GREEN), then deleted: neither undoes the other.
  await server.dataSource.query(`UPDATE challenge SET marking = 'AMBER', updated_at = now() WHERE id = $1`, [id]);
  expect(dataOf(await server.gql(RUNS, { d: d.id })).briefRuns.nodes).toEqual([]);
  await server.dataSource.query(`DELETE FROM challenge WHERE id = $1`, [id]);
  expect(dataOf(await server.gql(RUNS, { d: d.id })).briefRuns.nodes).toEqual([]);
  await scheduler.tick(at(2028));
  await settled([d.id]);
  const runs = dataOf(await server.gql(RUNS, { d: d.id })).briefRuns.nodes;
  expect(runs.map((r: any) => r.scheduledFor.slice(0, 4))).toEqual(['2028']);
  expect(runs[0].delta.removed).toEqual([{ id: created.id, text: WITHDRAWN }]);
  expect(JSON.stringify(runs)).not.toContain('RAISED-THEN-DELETED');
});
