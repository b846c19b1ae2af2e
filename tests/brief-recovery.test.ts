import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource, type DatabaseTimeouts } from '../src/db/data-source';
import { DatabaseMonitor } from '../src/db/monitor';
import { BriefScheduler } from '../src/modules/brief-run/brief-scheduler';
import { fromGlobalId } from '../src/read/global-id';
import { startDatabaseProxy, type DatabaseProxy } from './support/database-proxy';
import { dataOf, startTestServer, type TestServer } from './support/server';

// A scheduler whose database goes away: it must keep the process alive and leave no run stranded. Its connections
// go through a relay that can cut them; the test looks at the database directly.
const YEARLY = '0 0 1 1 *';
const at = (year: number) => new Date(`${year}-01-01T00:00:05Z`);
const TIMEOUTS: DatabaseTimeouts = { statement: 10_000, connect: 1_000, query: 15_000, idleInTransaction: 60_000 };

let server: TestServer;
let proxy: DatabaseProxy;
let dataSource: DataSource;
let monitor: DatabaseMonitor;
let scheduler: BriefScheduler;

beforeAll(async () => {
  server = await startTestServer();
  proxy = await startDatabaseProxy(server.databaseUrl);
  dataSource = createDataSource(proxy.url, TIMEOUTS);
  await dataSource.initialize();
  monitor = await new DatabaseMonitor(proxy.url, { intervalMs: 200, timeoutMs: 500 }).start();
  scheduler = await BriefScheduler.start(dataSource, { connectionString: proxy.url, tickMs: 3_600_000, pollSeconds: 0.5, monitor, timeouts: TIMEOUTS });
});
afterAll(async () => {
  await proxy.restore();
  await scheduler.stop();
  await monitor.stop();
  await dataSource.destroy();
  await proxy.close();
  await server.close();
});

async function define(name: string) {
  const CREATE = `mutation($input: BriefDefinitionInput!) { createBriefDefinition(input: $input) { id } }`;
  const input = { name, brief: { topics: ['dprk-troops-in-russia'] }, cron: YEARLY, timeZone: 'UTC', formats: ['MARKDOWN'] };
  return fromGlobalId(dataOf(await server.gql(CREATE, { input })).createBriefDefinition.id, 'id').id;
}

const runsOf = (definitionId: string) =>
  server.dataSource.query(`SELECT id, status, attempt FROM brief_run WHERE definition_id = $1 ORDER BY scheduled_for`, [definitionId]);

const jobsOf = (runId: string) =>
  server.dataSource.query(`SELECT state, retry_count FROM pgboss.job WHERE name = 'brief-run' AND data->>'runId' = $1`, [runId]);

async function until<T>(what: string, probe: () => Promise<T>, done: (value: T) => boolean, withinMs: number): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${withinMs} ms (last: ${JSON.stringify(value)})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('a database lost while a run composes ends nothing: the attempt resumes when it returns and the run is composed once', async () => {
  const definition = await define('through an outage');
  // Holds the composition mid-way, so the database can be cut while the run is RUNNING.
  const locker = new Client({ connectionString: server.databaseUrl });
  await locker.connect();
  try {
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE capability IN ACCESS EXCLUSIVE MODE');
    expect(await scheduler.tick(at(2027))).toBe(1);
    const [running] = await until(
      'the run starts',
      () => runsOf(definition),
      (runs) => runs[0]?.status === 'RUNNING',
      10_000,
    );
    await proxy.cut();
    await locker.query('ROLLBACK');
    await until(
      'the monitor notices',
      async () => monitor.down,
      (down) => down,
      5_000,
    );
    // The composing attempt notices when its own query fails, a moment after the monitor does.
    await until(
      'the scheduler waits',
      async () => scheduler.health(),
      (h) => h.status === 'waiting for the database' && h.worker === 'waiting for the database',
      10_000,
    );
    await proxy.restore();
    const returned = Date.now();
    const [done] = await until(
      'the run is composed',
      () => runsOf(definition),
      (runs) => runs[0]?.status === 'SUCCEEDED',
      10_000,
    );
    // Well within a tick of the database's return (this scheduler's tick is an hour).
    expect(Date.now() - returned).toBeLessThan(5_000);
    expect(done.attempt).toBe(running.attempt);
    expect(
      await until(
        'its job is completed',
        () => jobsOf(done.id),
        (jobs) => jobs[0]?.state === 'completed',
        5_000,
      ),
    ).toEqual([{ state: 'completed', retry_count: 0 }]);
    // The worker turns idle once it has settled the job, a moment after the job reads as completed.
    await until(
      'the worker is idle',
      async () => scheduler.health(),
      (h) => h.status === 'running' && h.worker === 'idle',
      5_000,
    );
  } finally {
    await locker.end();
    await proxy.restore(); // so a failure here leaves the next test a database
  }
});

test('runs a dead process left behind are queued again by the next tick, and a run another attempt holds is left alone', async () => {
  const definition = await define('left behind');
  const insert = async (year: number, status: string, lease: string | null) =>
    (
      await server.dataSource.query(
        `INSERT INTO brief_run (id, definition_id, scheduled_for, status, marking, input, started_at, attempt, lease_expires_at)
         SELECT gen_random_uuid(), id, $2, CAST($3 AS brief_run_status), marking, input, CASE WHEN CAST($3 AS text) = 'RUNNING' THEN now() END,
                CASE WHEN CAST($3 AS text) = 'RUNNING' THEN gen_random_uuid() END, now() + CAST($4 AS interval)
         FROM brief_definition WHERE id = $1 RETURNING id, attempt`,
        [definition, at(year), status, lease],
      )
    )[0] as { id: string; attempt: string | null };
  const abandoned = await insert(2030, 'RUNNING', '-1 second'); // its process died: the lease ran out
  const lost = await insert(2031, 'QUEUED', null); // queued, but its job is gone
  const held = await insert(2032, 'RUNNING', '30 seconds'); // another attempt is alive
  expect(await scheduler.tick()).toBe(0); // nothing due: the yearly definition waits for next January
  const runs = await until(
    'the stranded runs are composed',
    () => runsOf(definition),
    (r) => r.filter((x: any) => x.status === 'SUCCEEDED').length === 2,
    10_000,
  );
  expect(runs.map((r: any) => [r.id, r.status])).toEqual([
    [abandoned.id, 'SUCCEEDED'],
    [lost.id, 'SUCCEEDED'],
    [held.id, 'RUNNING'],
  ]);
  expect(runs[0].attempt).not.toBe(abandoned.attempt);
  expect(runs[2].attempt).toBe(held.attempt);
  expect(await jobsOf(held.id)).toEqual([]);
  // Queued once each: a second tick finds nothing stranded.
  await scheduler.tick();
  expect((await jobsOf(abandoned.id)).length + (await jobsOf(lost.id)).length).toBe(2);
});
