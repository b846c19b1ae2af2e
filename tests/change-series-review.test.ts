import { Marking } from '../src/common/marking';
import type { Viewer } from '../src/common/viewer';
import { Interval, TimeField } from '../src/modules/aggregate/aggregate.types';
import { timeSeries, type TimeSeriesArgs } from '../src/modules/aggregate/time-series';
import { Role } from '../src/modules/identity/role';
import { startTestServer, TestServer } from './support/server';

// Review of timeSeries(of: CHANGE_DATE) from the change rollup: writers must not wait on, or deadlock with, each
// other because of the rollup, and the served series must stay the scan's for every reader.
let server: TestServer;
const TOPIC = 'change-review';
const q = (text: string, values: unknown[] = []) => server.dataSource.query(text, values);
const today = () => new Date().toISOString().slice(0, 10);

const READERS: Viewer[] = [
  { principal: null, organisation: null, role: null, clearance: Marking.CLEAR },
  { principal: 'org-a/a', organisation: 'org-a', role: Role.VIEWER, clearance: Marking.AMBER },
  { principal: 'org-a/u1', organisation: 'org-a', role: Role.VIEWER, clearance: Marking.RED },
  { principal: 'org-b/u2', organisation: 'org-b', role: Role.VIEWER, clearance: Marking.RED },
];

/** A capability of the review topic marked RED for `audience`, through `run`. */
const redCapability = (run: (text: string, values: unknown[]) => Promise<unknown>, audience: string[]) =>
  run(
    `INSERT INTO capability (id, topic_id, actor_id, category, statement, marking, organisation, audience) VALUES (gen_random_uuid(),
      (SELECT id FROM topic WHERE slug = $1), (SELECT id FROM actor WHERE name = 'change review actor'), 'TACTICS', 'r', 'RED', NULL, $2)`,
    [TOPIC, audience],
  );

async function expectServedEqualsScan(when: string) {
  for (const viewer of READERS) {
    for (const interval of [Interval.DAY, Interval.WEEK, Interval.YEAR]) {
      const from = interval === Interval.YEAR ? '2020-01-01' : new Date(Date.now() - 60 * 86_400_000).toISOString().slice(0, 10);
      const args: TimeSeriesArgs = { of: TimeField.CHANGE_DATE, interval, from, to: today(), filter: { topic: TOPIC } };
      const [served, scan] = [await timeSeries(server.dataSource, viewer, args), await timeSeries(server.dataSource, viewer, { ...args, path: 'scan' })];
      expect({ when, viewer: viewer.principal, interval, served }).toEqual({ when, viewer: viewer.principal, interval, served: scan });
    }
  }
}

beforeAll(async () => {
  server = await startTestServer({ ROLLUP_COMPACT_INTERVAL_MS: '300' });
  await q(`INSERT INTO topic (id, slug, title, summary) VALUES (gen_random_uuid(), $1, 'Change review', 't')`, [TOPIC]);
  await q(`INSERT INTO actor (id, name, kind) VALUES (gen_random_uuid(), 'change review actor', 'STATE')`);
});
afterAll(() => server.close());

// count_change added the change's combination of keys (change_access, access_key) with ON CONFLICT DO NOTHING inside
// the writing transaction: a writer of a new marking waited for any open transaction that wrote it first, and two
// such writers in opposite order deadlocked (on d15f6e4 both commit). Now change_access and change_key, not unique.
test('two transactions writing two new markings in opposite order both commit (no deadlock)', async () => {
  const tag = `${Date.now()}`;
  const [u1, u2] = [
    [`org-a/u1`, `x1-${tag}`],
    [`org-b/u2`, `x2-${tag}`],
  ];
  const [first, second] = [server.dataSource.createQueryRunner(), server.dataSource.createQueryRunner()];
  try {
    await first.startTransaction();
    await second.startTransaction();
    await redCapability((t, v) => first.query(t, v), u1);
    await redCapability((t, v) => second.query(t, v), u2);
    const a = redCapability((t, v) => first.query(t, v), u2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const b = redCapability((t, v) => second.query(t, v), u1);
    const outcome = await Promise.allSettled([a, b]);
    expect(outcome.map((o) => (o.status === 'rejected' ? String((o.reason as Error).message) : 'written'))).toEqual(['written', 'written']);
    await first.commitTransaction();
    await second.commitTransaction();
  } finally {
    for (const r of [first, second]) {
      if (r.isTransactionActive) await r.rollbackTransaction().catch(() => undefined);
      await r.release();
    }
  }
  await expectServedEqualsScan('after two writers');
}, 120_000);

// An open transaction (an import, say) that wrote a new marking first no longer holds up other writers of it.
test('a writer does not wait for another open transaction that wrote the same new marking', async () => {
  const audience = [`org-a/u1`, `held-${Date.now()}`];
  const [holder, other] = [server.dataSource.createQueryRunner(), server.dataSource.createQueryRunner()];
  try {
    await holder.startTransaction();
    await redCapability((t, v) => holder.query(t, v), audience);
    await other.startTransaction();
    await other.query(`SET LOCAL lock_timeout = '3s'`);
    await expect(redCapability((t, v) => other.query(t, v), audience)).resolves.toBeDefined();
    await other.commitTransaction();
    await holder.commitTransaction();
  } finally {
    for (const r of [holder, other]) {
      if (r.isTransactionActive) await r.rollbackTransaction().catch(() => undefined);
      await r.release();
    }
  }
}, 60_000);

test('a hidden change is counted for no reader it is hidden from, and the series stays the scan', async () => {
  const [{ id }] = await q(
    `INSERT INTO capability (id, topic_id, actor_id, category, statement, marking) VALUES (gen_random_uuid(),
      (SELECT id FROM topic WHERE slug = $1), (SELECT id FROM actor WHERE name = 'change review actor'), 'TACTICS', 'g', 'GREEN') RETURNING id`,
    [TOPIC],
  );
  await expectServedEqualsScan('created');
  // Up to RED for u1, edited there, down to AMBER+STRICT of org-b, back to GREEN, then deleted while RED for u2.
  await q(`UPDATE capability SET marking = 'RED', audience = '{org-a/u1}' WHERE id = $1`, [id]);
  await q(`UPDATE capability SET statement = 'secret' WHERE id = $1`, [id]);
  await expectServedEqualsScan('up to RED');
  await q(`UPDATE capability SET marking = 'AMBER_STRICT', organisation = 'org-b', audience = '{}' WHERE id = $1`, [id]);
  await q(`UPDATE capability SET marking = 'GREEN', organisation = NULL WHERE id = $1`, [id]);
  await expectServedEqualsScan('back to GREEN');
  await q(`UPDATE capability SET marking = 'RED', audience = '{org-b/u2}' WHERE id = $1`, [id]);
  await q(`DELETE FROM capability WHERE id = $1`, [id]);
  await expectServedEqualsScan('deleted as RED');
}, 300_000);

test('changes rolled back to a savepoint, between re-marks of one statement in one transaction, are not counted', async () => {
  const [{ id }] = await q(
    `INSERT INTO capability (id, topic_id, actor_id, category, statement, marking) VALUES (gen_random_uuid(),
      (SELECT id FROM topic WHERE slug = $1), (SELECT id FROM actor WHERE name = 'change review actor'), 'TACTICS', 's', 'GREEN') RETURNING id`,
    [TOPIC],
  );
  const runner = server.dataSource.createQueryRunner();
  try {
    await runner.startTransaction();
    await runner.query(`UPDATE capability SET marking = 'RED', audience = '{org-a/u1}' WHERE id = $1`, [id]);
    await runner.query(`SAVEPOINT s`);
    await runner.query(`UPDATE capability SET marking = 'CLEAR', audience = '{}' WHERE id = $1`, [id]);
    await runner.query(`DELETE FROM capability WHERE id = $1`, [id]);
    await runner.query(`ROLLBACK TO SAVEPOINT s`);
    await runner.query(`UPDATE capability SET marking = 'AMBER_STRICT', organisation = 'org-a', audience = '{}' WHERE id = $1`, [id]);
    await runner.commitTransaction();
  } finally {
    await runner.release();
  }
  await expectServedEqualsScan('after a savepoint rolled back');
  await q(`SELECT compact_change_rollup()`);
  await expectServedEqualsScan('after a savepoint rolled back, folded');
}, 300_000);

test('bad CHANGE_DATE input is a coded error, not a 500', async () => {
  const cases = [
    `{ timeSeries(of: CHANGE_DATE, interval: DAY, from: "2026-13-01", to: "2026-12-01") { start count } }`,
    `{ timeSeries(of: CHANGE_DATE, interval: DAY, from: "2026-12-03", to: "2026-12-01") { start count } }`,
    `{ timeSeries(of: CHANGE_DATE, interval: DAY, from: "0001-01-01", to: "9999-12-31") { start count } }`,
    `{ timeSeries(of: CHANGE_DATE, interval: WEEK, from: "2026-12-01", to: "2026-12-03", kinds: []) { start count } }`,
    `{ timeSeries(of: CHANGE_DATE, interval: MONTH, from: "2026-12-01", to: "2026-12-03", filter: { markingAtMost: GREEN }) { start count } }`,
    `{ timeSeries(of: CHANGE_DATE, interval: QUARTER, from: "2026-12-01", to: "2026-12-03", filter: { topic: "no-such-topic" }) { start count } }`,
  ];
  for (const query of cases) {
    const res = await server.gql(query);
    expect({ query, status: res.status < 500 }).toEqual({ query, status: true });
    for (const error of res.body.errors ?? []) expect({ query, code: typeof error.extensions?.code }).toEqual({ query, code: 'string' });
  }
}, 120_000);
