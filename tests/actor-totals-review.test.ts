import { Marking } from '../src/common/marking';
import type { Viewer } from '../src/common/viewer';
import { DistributionField, type AggregateFilter } from '../src/modules/aggregate/aggregate.types';
import { distribution } from '../src/modules/aggregate/distribution';
import { Role } from '../src/modules/identity/role';
import { toGlobalId } from '../src/read/global-id';
import { startTestServer, TestServer } from './support/server';

// Review of distribution(of: ACTOR) from the actor totals: the served top N equals the scan's for every reader, with
// more deltas pending than the totals read in their index order (the "many" path), ties, hidden actors at the top,
// concurrent re-marks, writers and compactions, and actors deleted with their statements.
let server: TestServer;
const TOPIC = 'totals-review';
const OTHER = 'totals-review-other';
const q = (text: string, values: unknown[] = []) => server.dataSource.query(text, values);

const READERS: Viewer[] = [
  { principal: null, organisation: null, role: null, clearance: Marking.CLEAR },
  { principal: 'org-a/g', organisation: 'org-a', role: Role.VIEWER, clearance: Marking.GREEN },
  { principal: 'org-a/a', organisation: 'org-a', role: Role.VIEWER, clearance: Marking.AMBER },
  { principal: 'org-a/s', organisation: 'org-a', role: Role.VIEWER, clearance: Marking.AMBER_STRICT },
  { principal: 'org-b/s', organisation: 'org-b', role: Role.VIEWER, clearance: Marking.AMBER_STRICT },
  { principal: 'org-a/r1', organisation: 'org-a', role: Role.VIEWER, clearance: Marking.RED },
  { principal: 'org-b/r2', organisation: 'org-b', role: Role.VIEWER, clearance: Marking.RED },
];
const FILTERS: Array<AggregateFilter | null> = [null, { topic: TOPIC }, { topic: OTHER, markingAtMost: Marking.RED }, { markingAtMost: Marking.AMBER }];
const TOPS = [1, 2, 3, 1000, null];

async function expectServedEqualsScan(when: string, filters = FILTERS) {
  for (const viewer of READERS) {
    for (const filter of filters) {
      for (const top of TOPS) {
        const [served, scan] = [
          await distribution(server.dataSource, viewer, DistributionField.ACTOR, null, filter, top),
          await distribution(server.dataSource, viewer, DistributionField.ACTOR, null, filter, top, 'scan'),
        ];
        expect({ when, viewer: viewer.principal, filter, top, served }).toEqual({ when, viewer: viewer.principal, filter, top, served: scan });
      }
    }
  }
}

/** `n` capabilities of `actor` in `topic`, marked so. */
const capabilities = (actor: string, n: number, marking = 'CLEAR', organisation: string | null = null, audience: string[] = [], topic = TOPIC) =>
  q(
    `INSERT INTO capability (id, topic_id, actor_id, category, statement, marking, organisation, audience)
     SELECT gen_random_uuid(), (SELECT id FROM topic WHERE slug = $1), $2, 'TACTICS', 'c', $4, $5, $6 FROM generate_series(1, $3::int)`,
    [topic, actor, n, marking, organisation, audience],
  );
const actor = async (name: string, marking = 'CLEAR', organisation: string | null = null, audience: string[] = []) =>
  (
    await q(`INSERT INTO actor (id, name, kind, marking, organisation, audience) VALUES (gen_random_uuid(), $1, 'STATE', $2, $3, $4) RETURNING id`, [
      name,
      marking,
      organisation,
      audience,
    ])
  )[0].id as string;
const compact = () => q(`SELECT compact_aggregate_rollup()`);

beforeAll(async () => {
  // Compaction only when a test asks for it, so deltas stay pending in between.
  server = await startTestServer({ ROLLUP_COMPACT_INTERVAL_MS: '86400000' });
  await q(`INSERT INTO topic (id, slug, title, summary) VALUES (gen_random_uuid(), $1, 'Totals', 't'), (gen_random_uuid(), $2, 'Totals too', 't')`, [
    TOPIC,
    OTHER,
  ]);
});
afterAll(() => server.close());

test('hidden actors never head the top, with few or more than a thousand actors pending, ties broken as the scan', async () => {
  // Hidden at the top for most readers: RED for r1, AMBER+STRICT of org-b, AMBER, GREEN statements of a CLEAR actor.
  const red = await actor('review red', 'RED', null, ['org-a/r1']);
  const strict = await actor('review strict', 'AMBER_STRICT', 'org-b');
  const amber = await actor('review amber', 'AMBER');
  const open = await actor('review open');
  await capabilities(red, 12);
  await capabilities(strict, 11, 'GREEN');
  await capabilities(amber, 10);
  await capabilities(open, 9, 'GREEN');
  await capabilities(open, 5, 'RED', null, ['org-b/r2'], OTHER);
  // Ties: 1,200 CLEAR actors with 1 to 3 statements each, all pending (more than the totals' limit of odd actors).
  await q(`INSERT INTO actor (id, name, kind) SELECT gen_random_uuid(), 'review many ' || g, 'STATE' FROM generate_series(1, 1200) g`);
  await q(
    `INSERT INTO capability (id, topic_id, actor_id, category, statement, marking)
    SELECT gen_random_uuid(), (SELECT id FROM topic WHERE slug = $1), a.id, 'TACTICS', 'm', 'CLEAR'
    FROM actor a, generate_series(1, 3) g WHERE a.name LIKE 'review many %' AND g <= 1 + (substr(a.name, 13)::int % 3)`,
    [TOPIC],
  );
  await expectServedEqualsScan('more than a thousand actors pending');
  await compact();
  await expectServedEqualsScan('folded');
  // A few pending again: retracted, re-marked up and back, moved to another topic.
  await q(`UPDATE capability SET retracted_at = now(), retraction_reason = 'r' WHERE id IN (SELECT id FROM capability WHERE actor_id = $1 LIMIT 4)`, [red]);
  await q(`UPDATE actor SET marking = 'GREEN', organisation = NULL, audience = '{}' WHERE id = $1`, [strict]);
  await q(`UPDATE actor SET marking = 'RED', audience = '{org-b/r2}' WHERE id = $1`, [amber]);
  await q(`UPDATE actor SET marking = 'AMBER', audience = '{}' WHERE id = $1`, [amber]);
  await q(`UPDATE capability SET topic_id = (SELECT id FROM topic WHERE slug = $2) WHERE actor_id = $1`, [open, OTHER]);
  await expectServedEqualsScan('a few pending');
  const keys = async (viewer: Viewer) => (await distribution(server.dataSource, viewer, DistributionField.ACTOR, null, null, 3)).map((b) => b.key);
  expect(await keys(READERS[0])).not.toContain(toGlobalId('Actor', red));
  expect(await keys(READERS[1])).not.toContain(toGlobalId('Actor', amber));
  await compact();
  await expectServedEqualsScan('folded again');
}, 900_000);

test('an actor re-marked while statements naming it are written, with compactions between, stays exact', async () => {
  const named = await actor('review contended', 'GREEN');
  await capabilities(named, 4, 'GREEN');
  await compact();
  for (const [first, then] of [
    ['writer', 'remark'],
    ['remark', 'writer'],
  ]) {
    const [writer, remarker] = [server.dataSource.createQueryRunner(), server.dataSource.createQueryRunner()];
    try {
      await writer.startTransaction();
      await remarker.startTransaction();
      const write = () =>
        writer.query(
          `INSERT INTO capability (id, topic_id, actor_id, category, statement, marking)
           SELECT gen_random_uuid(), (SELECT id FROM topic WHERE slug = $1), $2, 'TACTICS', 'w', 'GREEN' FROM generate_series(1, 3)`,
          [TOPIC, named],
        );
      const remark = () =>
        remarker.query(`UPDATE actor SET marking = $2, organisation = $3, audience = '{}' WHERE id = $1`, [
          named,
          first === 'writer' ? 'AMBER_STRICT' : 'GREEN',
          first === 'writer' ? 'org-a' : null,
        ]);
      const run = { writer: write, remark };
      await run[first as 'writer']();
      const second = run[then as 'writer']();
      await Promise.all([compact(), compact()]);
      const commits = first === 'writer' ? [writer, remarker] : [remarker, writer];
      await commits[0].commitTransaction();
      await second;
      await Promise.all([compact(), commits[1].commitTransaction()]);
    } finally {
      await writer.release();
      await remarker.release();
    }
    await expectServedEqualsScan(`${first} first`, [null, { topic: TOPIC }]);
  }
  await compact();
  await expectServedEqualsScan('contended, folded', [null, { topic: TOPIC }]);
}, 900_000);

test('writers and compactions running together never fail, and a rolled-back write counts for nothing', async () => {
  const actors = await Promise.all([0, 1, 2].map((i) => actor(`review parallel ${i}`, ['CLEAR', 'AMBER', 'AMBER_STRICT'][i], i === 2 ? 'org-a' : null)));
  const errors: string[] = [];
  const writer = async (i: number) => {
    for (let step = 0; step < 8; step += 1) {
      const runner = server.dataSource.createQueryRunner();
      try {
        await runner.startTransaction();
        for (const a of i % 2 ? [...actors].reverse() : actors) {
          await runner.query(
            `INSERT INTO capability (id, topic_id, actor_id, category, statement, marking) VALUES (gen_random_uuid(), (SELECT id FROM topic WHERE slug = $1), $2, 'TACTICS', 'p', 'GREEN')`,
            [TOPIC, a],
          );
        }
        if (step % 4 === 3) await runner.rollbackTransaction();
        else await runner.commitTransaction();
      } catch (error) {
        errors.push(`writer: ${String(error)}`);
        if (runner.isTransactionActive) await runner.rollbackTransaction();
      } finally {
        await runner.release();
      }
    }
  };
  const compactor = async () => {
    for (let step = 0; step < 8; step += 1) await compact().catch((error: unknown) => errors.push(`compaction: ${String(error)}`));
  };
  await Promise.all([writer(0), writer(1), writer(2), compactor(), compactor()]);
  expect(errors).toEqual([]);
  await expectServedEqualsScan('after parallel writes', [null, { topic: TOPIC }]);
}, 900_000);

// Writers hold the actors they name FOR KEY SHARE (HoldNamedRowsForKeyShare), which a plain edit does not wait for: two
// transactions that each name actors A and B and then edit one of them (an import upserting its actors, say) both commit.
test('two writers naming the same actors and each editing one of them both commit', async () => {
  const [a, b] = [await actor('review shared a'), await actor('review shared b')];
  const [first, second] = [server.dataSource.createQueryRunner(), server.dataSource.createQueryRunner()];
  const name = (runner: typeof first) =>
    runner.query(
      `INSERT INTO capability (id, topic_id, actor_id, category, statement, marking)
       SELECT gen_random_uuid(), (SELECT id FROM topic WHERE slug = $1), x, 'TACTICS', 's', 'CLEAR' FROM unnest($2::uuid[]) x`,
      [TOPIC, [a, b]],
    );
  try {
    await first.startTransaction();
    await second.startTransaction();
    await name(first);
    await name(second);
    const edits = [first.query(`UPDATE actor SET description = 'edited' WHERE id = $1`, [a])];
    await new Promise((resolve) => setTimeout(resolve, 300));
    edits.push(second.query(`UPDATE actor SET description = 'edited' WHERE id = $1`, [b]));
    const outcome = await Promise.allSettled(edits);
    expect(outcome.map((o) => (o.status === 'rejected' ? String((o.reason as Error).message) : 'edited'))).toEqual(['edited', 'edited']);
  } finally {
    for (const r of [first, second]) {
      if (r.isTransactionActive) await r.rollbackTransaction().catch(() => undefined);
      await r.release();
    }
  }
}, 120_000);

test('an actor deleted with statements of every kind leaves no bucket and no count behind', async () => {
  const [gone, kept] = [await actor('review gone'), await actor('review kept')];
  await capabilities(gone, 3);
  await q(
    `INSERT INTO challenge (id, topic_id, actor_id, category, statement, marking) VALUES (gen_random_uuid(), (SELECT id FROM topic WHERE slug = $1), $2, 'LANGUAGE', 'h', 'CLEAR')`,
    [TOPIC, gone],
  );
  const [{ id: ev }] = await q(
    `INSERT INTO event (id, topic_id, title, occurred_on, precision, marking) VALUES (gen_random_uuid(), (SELECT id FROM topic WHERE slug = $1), 'e', '2024-08-01', 'DAY', 'CLEAR') RETURNING id`,
    [TOPIC],
  );
  await q(`INSERT INTO event_actor (event_id, actor_id) VALUES ($1, $2), ($1, $3)`, [ev, gone, kept]);
  await q(
    `INSERT INTO actor_relation (id, topic_id, from_actor_id, to_actor_id, type, marking) VALUES (gen_random_uuid(), (SELECT id FROM topic WHERE slug = $1), $2, $3, 'SUPPORTS', 'CLEAR'),
    (gen_random_uuid(), (SELECT id FROM topic WHERE slug = $1), $3, $2, 'CONDEMNS', 'CLEAR')`,
    [TOPIC, gone, kept],
  );
  await compact();
  await expectServedEqualsScan('before the deletion', [null, { topic: TOPIC }]);
  await q(`DELETE FROM actor WHERE id = $1`, [gone]);
  await expectServedEqualsScan('deleted, pending', [null, { topic: TOPIC }]);
  await compact();
  await expectServedEqualsScan('deleted, folded', [null, { topic: TOPIC }]);
}, 900_000);

test('bad `top` and filters are coded errors through the API, never a 500', async () => {
  for (const args of ['top: 0', 'top: -1', 'top: 1001', 'top: 2147483648', 'kinds: []', 'filter: { topic: "" }', 'filter: { markingAtMost: PURPLE }']) {
    const res = await server.gql(`{ distribution(of: ACTOR, ${args}) { key label count } }`);
    expect({ args, ok: res.status < 500 }).toEqual({ args, ok: true });
    for (const error of res.body.errors ?? []) expect({ args, code: typeof error.extensions?.code }).toEqual({ args, code: 'string' });
  }
  const res = await server.gql(`{ distribution(of: ACTOR, top: 1000) { key count } }`);
  expect(res.body.errors).toBeUndefined();
}, 120_000);
