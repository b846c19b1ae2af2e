import { Marking } from '../src/common/marking';
import type { Viewer } from '../src/common/viewer';
import { Interval, TimeField } from '../src/modules/aggregate/aggregate.types';
import { timeSeries, type TimeSeriesArgs } from '../src/modules/aggregate/time-series';
import { Role } from '../src/modules/identity/role';
import type { StatementKind } from '../src/registry/statement-kinds';
import { startTestServer, TestServer } from './support/server';
import { random } from './support/random';

// timeSeries(of: CHANGE_DATE) from the change rollup answers exactly what a scan of the history answers (the feed's
// rule: access before and after each change, and the statement's access today), for every reader, after re-marks,
// retractions, restorations, deletions, re-creations under the same id, topic moves and bulk inserts.
let server: TestServer;
const TOPIC = 'changes-exactness';
const OTHER = 'changes-exactness-other';
const TABLES = ['capability', 'challenge', 'implication', 'event', 'actor_relation'] as const;

const TUPLES = [
  ['CLEAR', null, []],
  ['GREEN', null, []],
  ['AMBER', null, []],
  ['AMBER_STRICT', 'org-a', []],
  ['AMBER_STRICT', 'org-b', []],
  ['RED', null, ['org-a/r1']],
  ['RED', 'org-a', ['org-a/r1', 'org-b/r2']],
] as const;

const READERS: Viewer[] = [
  { principal: null, organisation: null, role: null, clearance: Marking.CLEAR },
  { principal: 'org-a/g', organisation: 'org-a', role: Role.VIEWER, clearance: Marking.GREEN },
  { principal: 'org-a/a', organisation: 'org-a', role: Role.VIEWER, clearance: Marking.AMBER },
  { principal: 'org-b/s', organisation: 'org-b', role: Role.VIEWER, clearance: Marking.AMBER_STRICT },
  { principal: 'org-a/r1', organisation: 'org-a', role: Role.VIEWER, clearance: Marking.RED },
  { principal: 'org-b/r2', organisation: 'org-b', role: Role.VIEWER, clearance: Marking.RED },
];

/** mulberry32, so that a failure can be replayed. */

const q = (text: string, values: unknown[] = []) => server.dataSource.query(text, values);
const today = () => new Date().toISOString().slice(0, 10);
const ids = async (table: string) =>
  (await q(`SELECT id FROM ${table} WHERE topic_id IN (SELECT id FROM topic WHERE slug LIKE 'changes-%') ORDER BY id`)).map((r: { id: string }) => r.id);

/** Statements of every kind, `n` each, under one marking. */
async function addStatements(n: number, tuple: readonly [string, string | null, readonly string[]], topic: string) {
  const values = [topic, ...tuple, n];
  const t = `(SELECT id FROM topic WHERE slug = $1)`;
  const a = `(SELECT id FROM actor WHERE name = 'changes actor')`;
  await q(
    `INSERT INTO capability (id, topic_id, actor_id, category, statement, marking, organisation, audience)
    SELECT gen_random_uuid(), ${t}, ${a}, 'TACTICS', 'c', $2, $3, $4 FROM generate_series(1, $5::int)`,
    values,
  );
  await q(
    `INSERT INTO challenge (id, topic_id, actor_id, category, statement, marking, organisation, audience)
    SELECT gen_random_uuid(), ${t}, ${a}, 'LANGUAGE', 'h', $2, $3, $4 FROM generate_series(1, $5::int)`,
    values,
  );
  await q(
    `INSERT INTO implication (id, topic_id, statement, likelihood, marking, organisation, audience)
    SELECT gen_random_uuid(), ${t}, 'm', 'LIKELY', $2, $3, $4 FROM generate_series(1, $5::int)`,
    values,
  );
  await q(
    `INSERT INTO event (id, topic_id, title, occurred_on, precision, marking, organisation, audience)
    SELECT gen_random_uuid(), ${t}, 'e', '2024-08-01', 'MONTH', $2, $3, $4 FROM generate_series(1, $5::int)`,
    values,
  );
  await q(
    `INSERT INTO actor_relation (id, topic_id, from_actor_id, to_actor_id, type, marking, organisation, audience)
    SELECT gen_random_uuid(), ${t}, ${a}, (SELECT id FROM actor WHERE name = 'changes actor 2'), 'SUPPORTS', $2, $3, $4 FROM generate_series(1, $5::int)`,
    values,
  );
}

/** One write of a random sort to some statements of one kind. */
async function randomWrite(rng: ReturnType<typeof random>) {
  const table = rng.pick(TABLES);
  const all = await ids(table);
  const some = all.filter(() => rng.next() < 0.3);
  const [marking, organisation, audience] = rng.pick(TUPLES);
  switch (rng.int(9)) {
    case 0:
    case 1:
      return q(`UPDATE ${table} SET marking = $2, organisation = $3, audience = $4 WHERE id = ANY($1)`, [some, marking, organisation, audience]);
    case 2:
      return q(`UPDATE ${table} SET retracted_at = now(), retraction_reason = 'withdrawn' WHERE id = ANY($1) AND retracted_at IS NULL`, [some]);
    case 3:
      return q(`UPDATE ${table} SET retracted_at = NULL, retraction_reason = NULL WHERE id = ANY($1)`, [some]);
    case 4:
      return q(`DELETE FROM ${table} WHERE id = ANY($1)`, [some.slice(0, 2)]);
    case 5:
      return recreate(rng);
    case 6:
      return addStatements(1 + rng.int(3), [marking, organisation, audience], rng.pick([TOPIC, OTHER]));
    case 7:
      return q(`UPDATE ${table} SET topic_id = (SELECT id FROM topic WHERE slug = $2) WHERE id = ANY($1)`, [some, rng.pick([TOPIC, OTHER])]);
    default: {
      // Several changes of one statement in one transaction: re-marked and edited.
      const runner = server.dataSource.createQueryRunner();
      try {
        await runner.startTransaction();
        await runner.query(`UPDATE ${table} SET marking = $2, organisation = $3, audience = $4 WHERE id = ANY($1)`, [some, marking, organisation, audience]);
        await runner.query(`UPDATE ${table} SET version = version + 1 WHERE id = ANY($1)`, [some]);
        await runner.query(`UPDATE ${table} SET marking = 'GREEN', organisation = NULL, audience = '{}' WHERE id = ANY($1)`, [some.slice(0, 1)]);
        await runner.commitTransaction();
      } finally {
        await runner.release();
      }
    }
  }
}

/** A deleted capability recorded again under the same id, under a random marking. */
async function recreate(rng: ReturnType<typeof random>) {
  const gone = await q(`SELECT DISTINCT item_id AS id FROM change WHERE item_table = 'capability' AND operation = 'delete'
    AND NOT EXISTS (SELECT 1 FROM capability WHERE id = item_id) ORDER BY 1`);
  if (!gone.length) return;
  const [marking, organisation, audience] = rng.pick(TUPLES);
  await q(
    `INSERT INTO capability (id, topic_id, actor_id, category, statement, marking, organisation, audience)
     VALUES ($1, (SELECT id FROM topic WHERE slug = $2), (SELECT id FROM actor WHERE name = 'changes actor'), 'TACTICS', 'again', $3, $4, $5)`,
    [rng.pick(gone as Array<{ id: string }>).id, TOPIC, marking, organisation, audience],
  );
}

const SERIES: Array<[Interval, string, StatementKind[] | null]> = [
  [Interval.DAY, '', null],
  [Interval.MONTH, '2000-01-01', null],
  [Interval.WEEK, '', ['CAPABILITY', 'EVENT']],
];

/** Every reader's CHANGE_DATE series as served equals the scan's, with and without a topic, every kind and two. */
async function expectServedEqualsScan(when: string) {
  for (const viewer of READERS) {
    for (const filter of [null, { topic: TOPIC }, { topic: OTHER }]) {
      for (const [interval, from, kinds] of SERIES) {
        const args: TimeSeriesArgs = {
          of: TimeField.CHANGE_DATE,
          interval,
          from: from || new Date(Date.now() - 20 * 86_400_000).toISOString().slice(0, 10),
          to: today(),
          kinds,
          filter,
        };
        const [served, scan] = [await timeSeries(server.dataSource, viewer, args), await timeSeries(server.dataSource, viewer, { ...args, path: 'scan' })];
        expect({ when, viewer: viewer.principal, filter, interval, kinds, buckets: served }).toEqual({
          when,
          viewer: viewer.principal,
          filter,
          interval,
          kinds,
          buckets: scan,
        });
      }
    }
  }
}

/** How many changes of capabilities `viewer` may count in all, as served. */
const counted = async (viewer: Viewer) =>
  (
    await timeSeries(server.dataSource, viewer, {
      of: TimeField.CHANGE_DATE,
      interval: Interval.YEAR,
      from: '2000-01-01',
      to: today(),
      kinds: ['CAPABILITY'],
      filter: { topic: 'changes-rule' },
    })
  ).reduce((n, b) => n + b.count, 0);

beforeAll(async () => {
  server = await startTestServer({ ROLLUP_COMPACT_INTERVAL_MS: '300' });
  await q(
    `INSERT INTO topic (id, slug, title, summary) VALUES (gen_random_uuid(), $1, 'Changes', 't'), (gen_random_uuid(), $2, 'Changes too', 't'),
    (gen_random_uuid(), 'changes-rule', 'Changes rule', 't')`,
    [TOPIC, OTHER],
  );
  await q(`INSERT INTO actor (id, name, kind) VALUES (gen_random_uuid(), 'changes actor', 'STATE'), (gen_random_uuid(), 'changes actor 2', 'STATE')`);
});
afterAll(() => server.close());

test('a change counts as the feed shows it: hidden by a re-mark, kept by a deletion, back with a re-creation', async () => {
  const [green, r1, clear] = [READERS[1], READERS[4], READERS[0]];
  const [{ id }] = await q(`INSERT INTO capability (id, topic_id, actor_id, category, statement, marking) VALUES (gen_random_uuid(),
    (SELECT id FROM topic WHERE slug = 'changes-rule'), (SELECT id FROM actor WHERE name = 'changes actor'), 'TACTICS', 'rule', 'GREEN') RETURNING id`);
  await q(`UPDATE capability SET statement = 'rule, edited' WHERE id = $1`, [id]);
  expect([await counted(clear), await counted(green), await counted(r1)]).toEqual([0, 2, 2]);
  // Re-marked beyond the GREEN reader: of its changes only the one that hid it stays.
  await q(`UPDATE capability SET marking = 'RED', audience = '{org-a/r1}' WHERE id = $1`, [id]);
  expect([await counted(green), await counted(r1)]).toEqual([1, 3]);
  // Deleted: readable to those who could read it as it was deleted, and so are its changes.
  await q(`DELETE FROM capability WHERE id = $1`, [id]);
  expect([await counted(green), await counted(r1)]).toEqual([1, 4]);
  // Recorded again under the same id, GREEN: its earlier GREEN changes are the GREEN reader's again.
  await q(
    `INSERT INTO capability (id, topic_id, actor_id, category, statement, marking) VALUES ($1,
    (SELECT id FROM topic WHERE slug = 'changes-rule'), (SELECT id FROM actor WHERE name = 'changes actor'), 'TACTICS', 'again', 'GREEN')`,
    [id],
  );
  expect([await counted(green), await counted(r1)]).toEqual([4, 5]);
  await expectServedEqualsScan('after the rule');
}, 300_000);

test('after random writes of every sort, the served series is the scan, for every reader, topic and kind', async () => {
  const rng = random(20261203);
  for (const tuple of TUPLES) await addStatements(2, tuple, rng.pick([TOPIC, OTHER]));
  await expectServedEqualsScan('after the first inserts');
  for (let step = 0; step < 60; step += 1) {
    await randomWrite(rng);
    if (step % 20 === 19) await expectServedEqualsScan(`after write ${step}`);
  }
  // Not vacuous: readers count differently, and statements were deleted and re-created.
  const all = async (viewer: Viewer) =>
    (await timeSeries(server.dataSource, viewer, { of: TimeField.CHANGE_DATE, interval: Interval.YEAR, from: '2000-01-01', to: today() })).reduce(
      (n, b) => n + b.count,
      0,
    );
  expect(await all(READERS[0])).toBeLessThan(await all(READERS[4]));
  expect((await q(`SELECT count(*)::int AS n FROM change WHERE operation = 'delete' AND item_table <> 'citation'`))[0].n).toBeGreaterThan(0);
  // The service folds the delta rows meanwhile, and no answer changes.
  const duplicated = async () =>
    (await q(`SELECT count(*)::int AS n FROM (SELECT 1 FROM change_rollup GROUP BY day, item_table, topic_id, access HAVING count(*) > 1) d`))[0].n;
  for (const deadline = Date.now() + 60_000; (await duplicated()) > 0 && Date.now() < deadline;) await new Promise((resolve) => setTimeout(resolve, 200));
  expect(await duplicated()).toBe(0);
  await expectServedEqualsScan('after compaction');
}, 900_000);

test('rolled-back changes are not counted', async () => {
  const before = await q(
    `SELECT day, item_table, topic_id, access, sum(n)::int AS n FROM change_rollup GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0 ORDER BY 1, 2, 3, 4`,
  );
  const runner = server.dataSource.createQueryRunner();
  try {
    await runner.startTransaction();
    await runner.query(`UPDATE capability SET marking = 'RED', audience = '{org-b/r2}' WHERE topic_id IN (SELECT id FROM topic WHERE slug LIKE 'changes-%')`);
    await runner.query(`DELETE FROM event WHERE topic_id IN (SELECT id FROM topic WHERE slug LIKE 'changes-%')`);
    await runner.rollbackTransaction();
  } finally {
    await runner.release();
  }
  expect(
    await q(`SELECT day, item_table, topic_id, access, sum(n)::int AS n FROM change_rollup GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0 ORDER BY 1, 2, 3, 4`),
  ).toEqual(before);
  await expectServedEqualsScan('after a rollback');
}, 300_000);
