import type { DataSource } from 'typeorm';
import { Marking } from '../src/common/marking';
import type { Viewer } from '../src/common/viewer';
import { DistributionField, Interval, TimeField, type AggregateFilter } from '../src/modules/aggregate/aggregate.types';
import { distribution, distributionSql } from '../src/modules/aggregate/distribution';
import { ROLLUP_FIELDS } from '../src/modules/aggregate/rollup';
import { timeSeries } from '../src/modules/aggregate/time-series';
import { createKey } from '../src/modules/identity/api-key.service';
import { Role } from '../src/modules/identity/role';
import { toGlobalId } from '../src/read/global-id';
import { dataOf, startTestServer, TestServer } from './support/server';
import { random } from './support/random';

// The rollup answers exactly what scanning the statements answers, for every reader, after writes of every sort:
// re-marks, retractions and restorations, deletions, bulk inserts, an import, moved and re-marked citations, and
// re-marked, retracted and re-graded sources. The scan is the reference (path 'scan'); the API serves the rollup.
let server: TestServer;
const TOPIC = 'rollup-exactness';
const OTHER = 'rollup-exactness-other';

/** A small deterministic generator (mulberry32), so a failure can be replayed. */

// Markings as (marking, organisation, audience), every rule of the seam among them.
const TUPLES = [
  ['CLEAR', null, []],
  ['GREEN', null, []],
  ['AMBER', null, []],
  ['AMBER_STRICT', 'org-a', []],
  ['AMBER_STRICT', 'org-b', []],
  ['RED', null, ['org-a/r1']],
  ['RED', 'org-a', ['org-a/r1', 'org-b/r2']],
  ['RED', null, ['org-b/r2']],
] as const;

const READERS: Viewer[] = [
  { principal: null, organisation: null, role: null, clearance: Marking.CLEAR },
  { principal: 'org-a/g', organisation: 'org-a', role: Role.VIEWER, clearance: Marking.GREEN },
  { principal: 'org-a/a', organisation: 'org-a', role: Role.VIEWER, clearance: Marking.AMBER },
  { principal: 'org-a/s', organisation: 'org-a', role: Role.VIEWER, clearance: Marking.AMBER_STRICT },
  { principal: 'org-b/s', organisation: 'org-b', role: Role.VIEWER, clearance: Marking.AMBER_STRICT },
  { principal: 'org-a/r1', organisation: 'org-a', role: Role.VIEWER, clearance: Marking.RED },
  { principal: 'org-b/r2', organisation: 'org-b', role: Role.VIEWER, clearance: Marking.RED },
  { principal: 'org-c/r3', organisation: 'org-c', role: Role.VIEWER, clearance: Marking.RED },
];

const FILTERS: Array<AggregateFilter | null> = [
  null,
  { topic: TOPIC },
  { topic: OTHER, markingAtMost: Marking.AMBER_STRICT },
  { markingAtMost: Marking.GREEN },
];
const TABLES = ['capability', 'challenge', 'implication', 'event', 'actor_relation'] as const;
const CITED: Record<(typeof TABLES)[number], string> = {
  capability: 'capability_id',
  challenge: 'challenge_id',
  implication: 'implication_id',
  event: 'event_id',
  actor_relation: 'relation_id',
};

const q = (text: string, values: unknown[] = []) => server.dataSource.query(text, values);
const ids = async (table: string, where = 'TRUE') =>
  (await q(`SELECT id FROM ${table} WHERE topic_id IN (SELECT id FROM topic WHERE slug LIKE 'rollup-%') AND ${where} ORDER BY id`)).map(
    (r: { id: string }) => r.id,
  );

/** One write of a random sort, as one SQL statement (most touch several rows at once). */
async function randomWrite(rng: ReturnType<typeof random>, step: number) {
  const table = rng.pick(TABLES);
  const all = await ids(table);
  const some = all.filter(() => rng.next() < 0.3);
  const [marking, organisation, audience] = rng.pick(TUPLES);
  switch (rng.int(13)) {
    case 0:
      return q(`UPDATE ${table} SET marking = $2, organisation = $3, audience = $4 WHERE id = ANY($1)`, [some, marking, organisation, audience]);
    case 1:
      return q(`UPDATE ${table} SET retracted_at = now(), retraction_reason = 'withdrawn' WHERE id = ANY($1) AND retracted_at IS NULL`, [some]);
    case 2:
      return q(`UPDATE ${table} SET retracted_at = NULL, retraction_reason = NULL, superseded_by_id = NULL WHERE id = ANY($1)`, [some]);
    case 3:
      return q(`DELETE FROM ${table} WHERE id = $1`, [rng.pick(all)]);
    case 4:
      return addStatements(rng, 3 + rng.int(5), step);
    case 5: {
      // A citation of a random statement, possibly of a source it cites already under another marking.
      const [source] = await q(`SELECT id FROM source WHERE name LIKE 'rollup source %' ORDER BY random() LIMIT 1`);
      if (!all.length) return;
      return q(
        `INSERT INTO citation (id, source_id, verb, quote, credibility, ${CITED[table]}, marking, organisation, audience)
         VALUES (gen_random_uuid(), $1, 'REPORTS', 'cited again', $2, $3, $4, $5, $6)`,
        [source.id, 1 + rng.int(6), rng.pick(all), marking, organisation, audience],
      );
    }
    case 6: {
      const citations = (await q(`SELECT id FROM citation WHERE quote LIKE 'cited%' ORDER BY id`)).map((r: { id: string }) => r.id);
      const chosen = citations.filter(() => rng.next() < 0.3);
      switch (rng.int(4)) {
        case 0:
          return q(`UPDATE citation SET marking = $2, organisation = $3, audience = $4 WHERE id = ANY($1)`, [chosen, marking, organisation, audience]);
        case 1:
          return q(
            `UPDATE citation SET retracted_at = CASE WHEN retracted_at IS NULL THEN now() END,
            retraction_reason = CASE WHEN retracted_at IS NULL THEN 'removed' END WHERE id = ANY($1)`,
            [chosen],
          );
        case 2:
          return q(`UPDATE citation SET credibility = 1 + (credibility % 6) WHERE id = ANY($1)`, [chosen]);
        default: {
          // Moved to another statement of the same kind.
          const [citation] = await q(
            `SELECT id, capability_id FROM citation WHERE capability_id IS NOT NULL AND quote LIKE 'cited%' ORDER BY random() LIMIT 1`,
          );
          const capabilities = await ids('capability');
          if (!citation || !capabilities.length) return;
          return q(`UPDATE citation SET capability_id = $2 WHERE id = $1`, [citation.id, rng.pick(capabilities)]);
        }
      }
    }
    case 7: {
      const sources = await q(`SELECT id FROM source WHERE name LIKE 'rollup source %' ORDER BY id`);
      const source = rng.pick(sources as Array<{ id: string }>).id;
      switch (rng.int(4)) {
        case 0:
          return q(`UPDATE source SET marking = $2, organisation = $3, audience = $4 WHERE id = $1`, [source, marking, organisation, audience]);
        case 1:
          return q(
            `UPDATE source SET retracted_at = CASE WHEN retracted_at IS NULL THEN now() END,
            retraction_reason = CASE WHEN retracted_at IS NULL THEN 'discredited' END WHERE id = $1`,
            [source],
          );
        case 2:
          return q(`UPDATE source SET reliability = $2 WHERE id = $1`, [source, rng.pick(['A', 'B', 'C', 'D', 'E', 'F'])]);
        default:
          return q(`UPDATE source SET published_on = $2 WHERE id = $1`, [source, rng.pick(['2024-01-31', '2024-02-01', '2024-11-03', null])]);
      }
    }
    case 8:
      if (table === 'event') {
        const [on, precision] = rng.pick([
          ['2024-08-01', 'MONTH'],
          ['2024-08-20', 'DAY'],
          ['2024-01-01', 'YEAR'],
          ['2024-12-30', 'DAY'],
        ]);
        return q(`UPDATE event SET occurred_on = $2, precision = $3 WHERE id = ANY($1)`, [some, on, precision]);
      }
      if (table === 'implication') {
        return q(`UPDATE implication SET likelihood = $2, confidence = $3 WHERE id = ANY($1)`, [
          some,
          rng.pick(['LIKELY', 'UNLIKELY']),
          rng.pick(['LOW', null]),
        ]);
      }
      return q(`UPDATE ${table} SET topic_id = (SELECT id FROM topic WHERE slug = $2) WHERE id = ANY($1)`, [some, rng.pick([TOPIC, OTHER])]);
    case 10:
      return actorWrite(rng, table, some);
    case 11: {
      // A source's publisher set, changed or removed.
      const [source] = await q(`SELECT id FROM source WHERE name LIKE 'rollup source %' ORDER BY random() LIMIT 1`);
      const [publisher] = await q(`SELECT id FROM actor WHERE name LIKE 'rollup actor %' ORDER BY random() LIMIT 1`);
      return q(`UPDATE source SET publisher_id = $2 WHERE id = $1`, [source.id, rng.next() < 0.25 ? null : publisher.id]);
    }
    case 12: {
      // Actors named by events and implications: added or removed.
      const link = table === 'event' ? ['event_actor', 'event_id'] : ['implication_actor', 'implication_id'];
      const statements = await ids(link[0] === 'event_actor' ? 'event' : 'implication');
      const [actor] = await q(`SELECT id FROM actor WHERE name LIKE 'rollup actor %' ORDER BY random() LIMIT 1`);
      if (!statements.length) return;
      if (rng.next() < 0.3)
        return q(`DELETE FROM ${link[0]} WHERE ${link[1]} = ANY($1) AND actor_id = $2`, [statements.filter(() => rng.next() < 0.5), actor.id]);
      return q(`INSERT INTO ${link[0]} (${link[1]}, actor_id) SELECT unnest($1::uuid[]), $2 ON CONFLICT DO NOTHING`, [
        statements.filter(() => rng.next() < 0.3),
        actor.id,
      ]);
    }
    default:
      return q(`UPDATE ${table} SET version = version WHERE id = ANY($1)`, [some]);
  }
}

/** An actor re-marked or given another kind, or statements given other actors. */
async function actorWrite(rng: ReturnType<typeof random>, table: (typeof TABLES)[number], some: string[]) {
  const actors = (await q(`SELECT id FROM actor WHERE name LIKE 'rollup actor %' ORDER BY id`)).map((r: { id: string }) => r.id);
  const [marking, organisation, audience] = rng.pick(TUPLES);
  switch (rng.int(3)) {
    case 0:
      return q(`UPDATE actor SET marking = $2, organisation = $3, audience = $4 WHERE id = $1`, [rng.pick(actors), marking, organisation, audience]);
    case 1:
      return q(`UPDATE actor SET kind = $2 WHERE id = $1`, [rng.pick(actors), rng.pick(['STATE', 'ARMED_FORCE', 'MILITARY_UNIT'])]);
    default:
      if (table === 'capability' || table === 'challenge') return q(`UPDATE ${table} SET actor_id = $2 WHERE id = ANY($1)`, [some, rng.pick(actors)]);
      if (table === 'actor_relation')
        return q(`UPDATE actor_relation SET to_actor_id = $2 WHERE id = ANY($1) AND from_actor_id <> $2`, [some, rng.pick(actors)]);
      return q(`UPDATE actor SET marking = 'CLEAR', organisation = NULL, audience = '{}' WHERE id = $1`, [rng.pick(actors)]);
  }
}

/** `n` statements of every kind in one statement, each citing one or two random sources (an import's shape). */
async function addStatements(rng: ReturnType<typeof random>, n: number, step: number) {
  const [marking, organisation, audience] = rng.pick(TUPLES);
  await q(
    `WITH t AS (SELECT id FROM topic WHERE slug = $1), a AS (SELECT id FROM actor WHERE name LIKE 'rollup actor %' ORDER BY id),
     cap AS (INSERT INTO capability (id, topic_id, actor_id, category, statement, marking, organisation, audience)
       SELECT gen_random_uuid(), t.id, (SELECT id FROM a LIMIT 1 OFFSET g % 3), (ARRAY['MANPOWER', 'TACTICS'])[1 + g % 2], 'c ' || $5::int || ' ' || g, $2, $3, $4
       FROM t, generate_series(1, $6::int) g RETURNING id),
     cha AS (INSERT INTO challenge (id, topic_id, actor_id, category, statement, marking, organisation, audience)
       SELECT gen_random_uuid(), t.id, (SELECT id FROM a LIMIT 1), 'LANGUAGE', 'h', $2, $3, $4 FROM t, generate_series(1, $6::int) g RETURNING id),
     im AS (INSERT INTO implication (id, topic_id, statement, likelihood, confidence, marking, organisation, audience)
       SELECT gen_random_uuid(), t.id, 'm', (ARRAY['LIKELY', 'ALMOST_CERTAIN'])[1 + g % 2]::likelihood, NULL, $2, $3, $4 FROM t, generate_series(1, $6::int) g RETURNING id),
     ev AS (INSERT INTO event (id, topic_id, title, occurred_on, precision, marking, organisation, audience)
       SELECT gen_random_uuid(), t.id, 'e', (ARRAY['2024-08-01', '2024-08-20', '2024-01-01'])[1 + g % 3]::date, (ARRAY['MONTH', 'DAY', 'YEAR'])[1 + g % 3]::date_precision,
         $2, $3, $4 FROM t, generate_series(1, $6::int) g RETURNING id),
     ea AS (INSERT INTO event_actor (event_id, actor_id) SELECT ev.id, x.id FROM ev, (SELECT id FROM a LIMIT 2) x),
     ia AS (INSERT INTO implication_actor (implication_id, actor_id) SELECT im.id, x.id FROM im, (SELECT id FROM a OFFSET 1) x),
     re AS (INSERT INTO actor_relation (id, topic_id, from_actor_id, to_actor_id, type, marking, organisation, audience)
       SELECT gen_random_uuid(), t.id, (SELECT id FROM a LIMIT 1), (SELECT id FROM a LIMIT 1 OFFSET 1), (ARRAY['SUPPORTS', 'CONDEMNS'])[1 + g % 2], $2, $3, $4
       FROM t, generate_series(1, $6::int) g RETURNING id),
     s AS (SELECT id, row_number() OVER (ORDER BY id) AS i FROM source WHERE name LIKE 'rollup source %'),
     st AS (SELECT id, NULL::uuid AS capability_id, NULL::uuid AS challenge_id, NULL::uuid AS implication_id, NULL::uuid AS event_id, NULL::uuid AS relation_id, 0 AS k FROM cap WHERE FALSE
       UNION ALL SELECT id, id, NULL, NULL, NULL, NULL, 1 FROM cap UNION ALL SELECT id, NULL, id, NULL, NULL, NULL, 2 FROM cha
       UNION ALL SELECT id, NULL, NULL, id, NULL, NULL, 3 FROM im UNION ALL SELECT id, NULL, NULL, NULL, id, NULL, 4 FROM ev
       UNION ALL SELECT id, NULL, NULL, NULL, NULL, id, 5 FROM re)
     INSERT INTO citation (id, source_id, verb, quote, credibility, capability_id, challenge_id, implication_id, event_id, relation_id, marking, organisation, audience)
       SELECT gen_random_uuid(), s.id, 'REPORTS', 'cited', 1 + (st.k + s.i)::int % 6, st.capability_id, st.challenge_id, st.implication_id, st.event_id, st.relation_id,
         $2, $3, $4
       FROM st JOIN s ON s.i IN (1 + (st.k % 4), 1 + ((st.k + $5::int) % 4))`,
    [rng.pick([TOPIC, OTHER]), marking, organisation, audience, step, n],
  );
}

/** Fields with a fast path, each with the `top` asked of it: ACTOR's totals also by their top 1 and 2 (ties by id). */
const FAST: Array<[DistributionField, number | null]> = [...[...ROLLUP_FIELDS, DistributionField.ACTOR].map((f): [DistributionField, null] => [f, null])];
FAST.push([DistributionField.ACTOR, 1], [DistributionField.ACTOR, 2]);

/** Every reader's answers for `fields` from the rollup (or totals) equal the scan's, through `ds` (a transaction's runner too). */
async function expectFieldsEqualScan(
  when: string,
  fields: DistributionField[],
  filters: Array<AggregateFilter | null> = [null, { topic: TOPIC }],
  ds = server.dataSource,
) {
  for (const viewer of READERS) {
    for (const filter of filters) {
      for (const [field, top] of FAST.filter(([f]) => fields.includes(f))) {
        const [fast, scan] = [
          await distribution(ds, viewer, field, null, filter, top, 'rollup'),
          await distribution(ds, viewer, field, null, filter, top, 'scan'),
        ];
        expect({ when, viewer: viewer.principal, filter, field, top, buckets: fast }).toEqual({
          when,
          viewer: viewer.principal,
          filter,
          field,
          top,
          buckets: scan,
        });
      }
    }
  }
}

/** Every reader's every rollup answer equals the scan's. */
async function expectRollupEqualsScan(when: string) {
  const ds = server.dataSource;
  for (const viewer of READERS) {
    for (const filter of FILTERS) {
      for (const [field, top] of FAST) {
        const [fast, scan] = [
          await distribution(ds, viewer, field, null, filter, top, 'rollup'),
          await distribution(ds, viewer, field, null, filter, top, 'scan'),
        ];
        expect({ when, viewer: viewer.principal, filter, field, top, buckets: fast }).toEqual({
          when,
          viewer: viewer.principal,
          filter,
          field,
          top,
          buckets: scan,
        });
      }
      for (const [of, interval] of [
        [TimeField.EVENT_DATE, Interval.DAY],
        [TimeField.EVENT_DATE, Interval.MONTH],
        [TimeField.EVENT_DATE, Interval.YEAR],
        [TimeField.REPORT_DATE, Interval.WEEK],
        [TimeField.REPORT_DATE, Interval.QUARTER],
      ] as const) {
        const args = { of, interval, from: '2024-01-01', to: '2024-12-31', filter };
        const [fast, scan] = [await timeSeries(ds, viewer, args), await timeSeries(ds, viewer, { ...args, path: 'scan' })];
        expect({ when, viewer: viewer.principal, filter, of, interval, buckets: fast }).toEqual({
          when,
          viewer: viewer.principal,
          filter,
          of,
          interval,
          buckets: scan,
        });
      }
    }
  }
}

beforeAll(async () => {
  server = await startTestServer({ ROLLUP_COMPACT_INTERVAL_MS: '300' });
  await q(`INSERT INTO topic (id, slug, title, summary) VALUES (gen_random_uuid(), $1, 'Rollup', 'test'), (gen_random_uuid(), $2, 'Rollup too', 'test')`, [
    TOPIC,
    OTHER,
  ]);
  await q(`INSERT INTO actor (id, name, kind) SELECT gen_random_uuid(), 'rollup actor ' || g, 'STATE' FROM generate_series(1, 4) g`);
  await q(
    `INSERT INTO source (id, name, kind, reliability, published_on, marking, organisation, audience) VALUES
     (gen_random_uuid(), 'rollup source 1', 'MEDIA_REPORT', 'B', '2024-01-31', 'CLEAR', NULL, '{}'),
     (gen_random_uuid(), 'rollup source 2', 'MEDIA_REPORT', 'B', '2024-02-01', 'GREEN', NULL, '{}'),
     (gen_random_uuid(), 'rollup source 3', 'MEDIA_REPORT', 'C', '2024-11-03', 'AMBER_STRICT', 'org-a', '{}'),
     (gen_random_uuid(), 'rollup source 4', 'MEDIA_REPORT', 'E', NULL, 'RED', NULL, '{org-a/r1}')`,
  );
});
afterAll(() => server.close());

test('after every sort of write, the rollup answers what a scan answers, for every reader and filter', async () => {
  const rng = random(20261202);
  for (let i = 0; i < 4; i += 1) await addStatements(rng, 4, i);
  await expectRollupEqualsScan('after the first inserts');
  for (let step = 0; step < 60; step += 1) {
    await randomWrite(rng, step);
    if (step % 30 === 29) await expectRollupEqualsScan(`after write ${step}`);
  }
  // Not vacuous: readers see different counts, and some of them see citation fields at all.
  const marked = async (viewer: Viewer) =>
    (await distribution(server.dataSource, viewer, DistributionField.MARKING, null, null)).reduce((n, b) => n + b.count, 0);
  expect(await marked(READERS[0])).toBeLessThan(await marked(READERS[5]));
  expect(await distribution(server.dataSource, READERS[5], DistributionField.SOURCE, null, { topic: TOPIC })).not.toEqual([]);
  // An actor of these statements marked RED for org-a/r1 only: its bucket is that reader's alone.
  await q(`UPDATE actor SET marking = 'RED', organisation = NULL, audience = '{org-a/r1}' WHERE id = (SELECT actor_id FROM capability WHERE topic_id IN
    (SELECT id FROM topic WHERE slug LIKE 'rollup-%') ORDER BY id LIMIT 1)`);
  const named = async (viewer: Viewer) =>
    (await distribution(server.dataSource, viewer, DistributionField.ACTOR, null, { topic: TOPIC }, null, 'rollup')).length;
  expect(await named(READERS[0])).toBeLessThan(await named(READERS[5]));
  // The service folds the delta rows meanwhile (every 300 ms here), and no answer changes.
  const duplicated = async () =>
    (await q(`SELECT count(*)::int AS n FROM (SELECT 1 FROM aggregate_rollup GROUP BY field, kind, value, topic_id, st_key, set_id HAVING count(*) > 1) d`))[0]
      .n;
  for (const deadline = Date.now() + 120_000; (await duplicated()) > 0 && Date.now() < deadline;) await new Promise((resolve) => setTimeout(resolve, 200));
  expect(await duplicated()).toBe(0);
  await q(`SELECT compact_aggregate_rollup()`);
  expect(await q(`SELECT count(*)::int AS n FROM actor_total_delta`)).toEqual([{ n: 0 }]);
  await expectRollupEqualsScan('after compaction');
}, 900_000);

test('an import, a release and a retraction through the API keep the rollup exact', async () => {
  const { key } = await createKey(server.dataSource.manager, { name: 'rollup-importer', role: Role.ADMIN, clearance: Marking.RED, organisation: 'org-a' });
  const document = {
    topic: { key: 'rollup-import', title: 'Rollup import', summary: 'imported' },
    actors: [{ key: 'x', name: 'rollup imported actor', kind: 'STATE' }],
    sources: [{ key: 's', name: 'rollup imported source', kind: 'MEDIA_REPORT', reliability: 'A', publishedOn: '2024-03-05' }],
    capabilities: Array.from({ length: 5 }, (_, i) => ({
      key: `c${i}`,
      actor: 'x',
      category: 'MANPOWER',
      statement: `imported ${i}`,
      citations: [{ source: 's', verb: 'STATES', quote: `q ${i}`, credibility: 2 }],
    })),
    events: [
      {
        key: 'e',
        title: 'imported event',
        occurredOn: '2024-03-01',
        precision: 'MONTH',
        actors: ['x'],
        citations: [{ source: 's', verb: 'STATES', quote: 'e', credibility: 3 }],
      },
    ],
  };
  const imported = dataOf(
    await server.gqlAs(key, `mutation($d: String!) { importData(format: DOSSIER, document: $d) { applied problems { message } } }`, {
      d: JSON.stringify(document),
    }),
  ).importData;
  expect(imported).toEqual({ applied: true, problems: [] });
  const reader = READERS[2];
  const filter = { topic: 'rollup-import' };
  expect(await distribution(server.dataSource, reader, DistributionField.RELIABILITY, null, filter)).toEqual([{ key: 'A', label: null, count: 6 }]);

  // The source raised to RED (only org-a/r1 may read it), then a capability retracted, all through the API.
  const [source] = await q(`SELECT id, version FROM source WHERE name = 'rollup imported source'`);
  const remark = await server.gqlAs(
    key,
    `mutation($id: ID!, $v: Int!) { updateSource(id: $id, version: $v, input: { marking: RED, audience: ["org-a/r1"] }) { marking } }`,
    {
      id: toGlobalId('Source', source.id),
      v: source.version,
    },
  );
  expect(dataOf(remark).updateSource).toEqual({ marking: 'RED' });
  expect(await distribution(server.dataSource, reader, DistributionField.SOURCE, null, filter)).toEqual([]);
  const [capability] = await q(`SELECT id, version FROM capability WHERE statement = 'imported 0'`);
  const retract = await server.gqlAs(key, `mutation($id: ID!, $v: Int!) { retractCapability(id: $id, version: $v, reason: "wrong") { retractedAt } }`, {
    id: toGlobalId('Capability', capability.id),
    v: capability.version,
  });
  expect(dataOf(retract).retractCapability.retractedAt).toEqual(expect.any(String));
  const lead = READERS[5];
  expect(await distribution(server.dataSource, lead, DistributionField.RELIABILITY, null, filter)).toEqual([{ key: 'A', label: null, count: 5 }]);
  // And what the API answers is the scan's answer.
  const { key: leadKey } = await createKey(server.dataSource.manager, { name: 'r1', role: Role.VIEWER, clearance: Marking.RED, organisation: 'org-a' });
  const overHttp = dataOf(
    await server.gqlAs(leadKey, `query($f: AggregateFilter) { distribution(of: SOURCE, filter: $f) { key count } }`, { f: filter }),
  ).distribution;
  expect(overHttp).toEqual([{ key: toGlobalId('Source', source.id), count: 5 }]);
  await expectRollupEqualsScan('after the import');
}, 900_000);

test('two writers of one statement at once leave it counted once', async () => {
  const [capability] = await q(
    `SELECT id FROM capability WHERE topic_id = (SELECT id FROM topic WHERE slug = $1) AND retracted_at IS NULL ORDER BY id LIMIT 1`,
    [TOPIC],
  );
  const [source] = await q(`SELECT id FROM source WHERE name = 'rollup source 1'`);
  const [first, second] = [server.dataSource.createQueryRunner(), server.dataSource.createQueryRunner()];
  try {
    await first.startTransaction();
    await first.query(`UPDATE capability SET marking = 'GREEN', organisation = NULL, audience = '{}' WHERE id = $1`, [capability.id]);
    await second.startTransaction();
    // The second writer's citation waits for the first writer's refresh of the same statement.
    const citing = second.query(
      `INSERT INTO citation (id, source_id, verb, quote, credibility, capability_id) VALUES (gen_random_uuid(), $1, 'STATES', 'cited at once', 4, $2)`,
      [source.id, capability.id],
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    await first.commitTransaction();
    await citing;
    await second.commitTransaction();
  } finally {
    await first.release();
    await second.release();
  }
  const [{ n }] = await q(`SELECT count(*)::int AS n FROM statement_contribution WHERE statement_id = $1 AND field = 'MARKING'`, [capability.id]);
  expect(n).toBe(1);
  await expectRollupEqualsScan('after two writers at once');
}, 900_000);

test('writes to actors, the actors statements name and publishers keep the actor fields exact', async () => {
  const rng = random(20261203);
  await addStatements(rng, 3, 100);
  const fields = [DistributionField.ACTOR, DistributionField.ACTOR_KIND, DistributionField.PUBLISHER];
  const actors = (await q(`SELECT id FROM actor WHERE name LIKE 'rollup actor %' ORDER BY name`)).map((r: { id: string }) => r.id);
  const events = await ids('event');
  const steps: Array<[string, () => Promise<unknown>]> = [
    ['a publisher set', () => q(`UPDATE source SET publisher_id = $1 WHERE name IN ('rollup source 1', 'rollup source 2')`, [actors[3]])],
    ['its publisher re-marked', () => q(`UPDATE actor SET marking = 'AMBER_STRICT', organisation = 'org-a', audience = '{}' WHERE id = $1`, [actors[3]])],
    [
      'an actor named by events',
      () => q(`INSERT INTO event_actor (event_id, actor_id) SELECT unnest($1::uuid[]), $2 ON CONFLICT DO NOTHING`, [events, actors[3]]),
    ],
    [
      'an actor named by implications',
      () => q(`INSERT INTO implication_actor (implication_id, actor_id) SELECT id, $1 FROM implication ON CONFLICT DO NOTHING`, [actors[0]]),
    ],
    ['an actor re-marked', () => q(`UPDATE actor SET marking = 'RED', organisation = NULL, audience = '{org-b/r2}' WHERE id = $1`, [actors[0]])],
    ['an actor of another kind', () => q(`UPDATE actor SET kind = 'ARMED_FORCE' WHERE id = $1`, [actors[1]])],
    [
      'capabilities of another actor',
      () => q(`UPDATE capability SET actor_id = $1 WHERE topic_id IN (SELECT id FROM topic WHERE slug LIKE 'rollup-%')`, [actors[3]]),
    ],
    ['relations to another actor', () => q(`UPDATE actor_relation SET to_actor_id = $1 WHERE from_actor_id <> $1`, [actors[3]])],
    ['an actor no longer named', () => q(`DELETE FROM event_actor WHERE actor_id = $1`, [actors[3]])],
    ['a publisher removed', () => q(`UPDATE source SET publisher_id = NULL WHERE name = 'rollup source 1'`)],
  ];
  for (const [when, write] of steps) {
    await write();
    await expectFieldsEqualScan(`after ${when}`, fields);
  }
}, 900_000);

test('a source or an actor re-marked while a statement naming it is written leaves the rollup exact', async () => {
  const [source] = await q(`SELECT id FROM source WHERE name = 'rollup source 2'`);
  const [actor] = await q(`SELECT id FROM actor WHERE name = 'rollup actor 4'`);
  const [capability] = await q(
    `INSERT INTO capability (id, topic_id, actor_id, category, statement) SELECT gen_random_uuid(), (SELECT id FROM topic WHERE slug = $1), $2, 'TACTICS', 'cited'
     RETURNING id`,
    [TOPIC, actor.id],
  );
  await q(`UPDATE source SET marking = 'CLEAR', organisation = NULL, audience = '{}', retracted_at = NULL, retraction_reason = NULL WHERE id = $1`, [
    source.id,
  ]);
  await q(`UPDATE actor SET marking = 'CLEAR', organisation = NULL, audience = '{}' WHERE id = $1`, [actor.id]);
  const [writer, remarker] = [server.dataSource.createQueryRunner(), server.dataSource.createQueryRunner()];
  try {
    // The writer cites the source and names the actor; before it commits, another transaction re-marks both, which
    // cannot see the writer's rows and so refreshes none of them. The writer's refresh must read the new markings.
    await writer.startTransaction();
    await writer.query(
      `INSERT INTO citation (id, source_id, verb, quote, credibility, capability_id) VALUES (gen_random_uuid(), $1, 'STATES', 'cited while re-marked', 5, $2)`,
      [source.id, capability.id],
    );
    await writer.query(
      `INSERT INTO capability (id, topic_id, actor_id, category, statement) SELECT gen_random_uuid(), (SELECT id FROM topic WHERE slug = $1), $2, 'TACTICS', 'named while re-marked'`,
      [TOPIC, actor.id],
    );
    await remarker.startTransaction();
    const remarking = Promise.all([
      remarker.query(`UPDATE source SET marking = 'RED', audience = '{org-b/r2}' WHERE id = $1`, [source.id]),
      remarker.query(`UPDATE actor SET marking = 'AMBER_STRICT', organisation = 'org-b' WHERE id = $1`, [actor.id]),
    ]);
    // The writer commits while the re-mark is written but not committed (it waits for the writer's rows instead).
    await new Promise((resolve) => setTimeout(resolve, 200));
    await writer.commitTransaction();
    await remarking;
    await remarker.commitTransaction();
  } finally {
    await writer.release();
    await remarker.release();
  }
  expect(await distribution(server.dataSource, READERS[6], DistributionField.ACTOR, null, null, null, 'rollup')).toContainEqual(
    expect.objectContaining({ key: toGlobalId('Actor', actor.id) }),
  );
  await expectRollupEqualsScan('after a re-mark during a write');
}, 900_000);

/** Whether `p` settles within `ms`. */
const settlesWithin = (p: Promise<unknown>, ms: number) =>
  Promise.race([p.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);

test.each(['actor', 'source'] as const)(
  'a re-mark of the %s to RED waits for an open writer naming it, a plain edit does not',
  async (table) => {
    const [actor] = await q(`INSERT INTO actor (id, name, kind) VALUES (gen_random_uuid(), $1, 'STATE') RETURNING id`, [`rollup race ${table}`]);
    const [source] = await q(
      `INSERT INTO source (id, name, kind, reliability, published_on, marking) VALUES (gen_random_uuid(), $1, 'MEDIA_REPORT', 'B', '2024-03-01', 'CLEAR') RETURNING id`,
      [`rollup race ${table}`],
    );
    const [capability] = await q(
      `INSERT INTO capability (id, topic_id, actor_id, category, statement) SELECT gen_random_uuid(), (SELECT id FROM topic WHERE slug = $1), $2, 'TACTICS', 'race'
     RETURNING id`,
      [TOPIC, (await q(`SELECT id FROM actor WHERE name = 'rollup actor 1'`))[0].id],
    );
    const id = table === 'actor' ? actor.id : source.id;
    const [writer, remarker] = [server.dataSource.createQueryRunner(), server.dataSource.createQueryRunner()];
    try {
      // The writer names only the row re-marked (the actor of a new statement, or the source of a new citation).
      await writer.startTransaction();
      if (table === 'actor') {
        await writer.query(
          `INSERT INTO capability (id, topic_id, actor_id, category, statement) SELECT gen_random_uuid(), (SELECT id FROM topic WHERE slug = $1), $2, 'TACTICS', 'named in a race'`,
          [TOPIC, id],
        );
      } else {
        await writer.query(
          `INSERT INTO citation (id, source_id, verb, quote, credibility, capability_id) VALUES (gen_random_uuid(), $1, 'STATES', 'cited in a race', 5, $2)`,
          [id, capability.id],
        );
      }
      await remarker.startTransaction();
      expect(await settlesWithin(remarker.query(`UPDATE ${table} SET description = 'edited in a race' WHERE id = $1`, [id]), 2000)).toBe(true);
      const remark = remarker.query(`UPDATE ${table} SET marking = 'RED', audience = '{org-b/r2}' WHERE id = $1`, [id]);
      expect(await settlesWithin(remark, 500)).toBe(false);
      await writer.commitTransaction();
      await remark;
      await remarker.commitTransaction();
    } finally {
      for (const r of [writer, remarker]) {
        if (r.isTransactionActive) await r.rollbackTransaction().catch(() => undefined);
        await r.release();
      }
    }
    await expectRollupEqualsScan(`after a ${table} re-marked during a write`);
  },
  900_000,
);

test('the writes of one transaction are counted as it commits, once; rolled-back writes not at all', async () => {
  const [source] = await q(
    `INSERT INTO source (id, name, kind, reliability) VALUES (gen_random_uuid(), 'rollup source at commit', 'MEDIA_REPORT', 'A') RETURNING id`,
  );
  const runner = server.dataSource.createQueryRunner();
  try {
    // Inserted, cited, re-marked and cited again in one transaction (an import's shape, and more), part of it undone.
    await runner.startTransaction();
    const [{ id }] = await runner.query(
      `INSERT INTO capability (id, topic_id, actor_id, category, statement, marking)
       SELECT gen_random_uuid(), (SELECT id FROM topic WHERE slug = $1), (SELECT id FROM actor WHERE name = 'rollup actor 1'), 'TACTICS', 'in one go', 'AMBER'
       RETURNING id`,
      [TOPIC],
    );
    await runner.query(
      `INSERT INTO citation (id, source_id, verb, quote, credibility, capability_id) VALUES (gen_random_uuid(), $1, 'STATES', 'cited once', 2, $2)`,
      [source.id, id],
    );
    await runner.query(`UPDATE capability SET marking = 'GREEN' WHERE id = $1`, [id]);
    await runner.query(`SAVEPOINT undone`);
    await runner.query(
      `INSERT INTO citation (id, source_id, verb, quote, credibility, capability_id) VALUES (gen_random_uuid(), $1, 'STATES', 'undone', 6, $2)`,
      [source.id, id],
    );
    await runner.query(`UPDATE capability SET category = 'MANPOWER' WHERE id = $1`, [id]);
    await runner.query(`ROLLBACK TO SAVEPOINT undone`);
    await runner.commitTransaction();
    const contributions = await q(`SELECT field, value FROM statement_contribution WHERE statement_id = $1 ORDER BY field, value`, [id]);
    expect(contributions).toEqual(
      expect.arrayContaining([
        { field: 'CATEGORY', value: 'TACTICS' },
        { field: 'CREDIBILITY', value: '2' },
        { field: 'MARKING', value: 'GREEN' },
      ]),
    );
    expect(contributions.filter((c: { field: string }) => c.field === 'CREDIBILITY')).toHaveLength(1);

    // A transaction rolled back as a whole leaves the rollup as it was.
    const before = await q(
      `SELECT field, kind, value, topic_id, st_key, set_id, sum(n)::int AS n FROM aggregate_rollup GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(n) <> 0 ORDER BY 1, 2, 3, 4, 5, 6`,
    );
    await runner.startTransaction();
    await runner.query(`UPDATE capability SET marking = 'RED', audience = '{org-a/r1}' WHERE id = $1`, [id]);
    await runner.query(`DELETE FROM citation WHERE capability_id = $1`, [id]);
    await runner.rollbackTransaction();
    const after = await q(
      `SELECT field, kind, value, topic_id, st_key, set_id, sum(n)::int AS n FROM aggregate_rollup GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(n) <> 0 ORDER BY 1, 2, 3, 4, 5, 6`,
    );
    expect(after).toEqual(before);
  } finally {
    await runner.release();
  }
  // Nothing is left noted for later.
  expect(await q(`SELECT count(*)::int AS n FROM contribution_pending`)).toEqual([{ n: 0 }]);
  await expectRollupEqualsScan('after a transaction of several writes');
}, 900_000);

test('the top actors are exact while writes wait to be folded into the actor totals, and once folded', async () => {
  const actors = (await q(`SELECT id FROM actor WHERE name LIKE 'rollup actor %' ORDER BY name`)).map((r: { id: string }) => r.id);
  await addStatements(random(20261204), 3, 200);
  await q(`SELECT compact_aggregate_rollup()`);
  const runner = server.dataSource.createQueryRunner();
  // The runner's transaction: its refresh runs early (constraints immediate), and no compaction can see its deltas.
  const inTransaction = { query: (text: string, values?: unknown[]) => runner.query(text, values) } as unknown as DataSource;
  try {
    await runner.startTransaction();
    await runner.query(`UPDATE actor SET marking = 'AMBER_STRICT', organisation = 'org-a', audience = '{}' WHERE id = $1`, [actors[0]]);
    await runner.query(`UPDATE actor SET marking = 'GREEN', organisation = NULL, audience = '{}' WHERE id = $1`, [actors[1]]);
    await runner.query(`UPDATE actor SET marking = 'CLEAR', organisation = NULL, audience = '{}' WHERE id = ANY($1)`, [actors.slice(2)]);
    await runner.query(
      `UPDATE capability SET marking = 'RED', organisation = NULL, audience = '{org-b/r2}' WHERE id IN (SELECT id FROM capability
        WHERE topic_id = (SELECT id FROM topic WHERE slug = $1) ORDER BY id LIMIT 3)`,
      [TOPIC],
    );
    await runner.query(
      `INSERT INTO capability (id, topic_id, actor_id, category, statement, marking)
       SELECT gen_random_uuid(), (SELECT id FROM topic WHERE slug = $1), $2, 'TACTICS', 'top ' || g, 'AMBER' FROM generate_series(1, 4) g`,
      [TOPIC, actors[3]],
    );
    await runner.query(`SET CONSTRAINTS ALL IMMEDIATE`);
    const [{ deltas, special }] = await runner.query(
      `SELECT (SELECT count(*)::int FROM actor_total_delta) AS deltas, (SELECT count(*)::int FROM actor_total_special) AS special`,
    );
    expect(deltas).toBeGreaterThan(0);
    expect(special).toBeGreaterThan(0);
    await expectFieldsEqualScan('with deltas not folded', [DistributionField.ACTOR], FILTERS, inTransaction);
    await runner.commitTransaction();
  } finally {
    await runner.release();
  }
  await q(`SELECT compact_aggregate_rollup()`);
  expect(await q(`SELECT count(*)::int AS n FROM actor_total_delta`)).toEqual([{ n: 0 }]);
  await expectFieldsEqualScan('once folded', [DistributionField.ACTOR], FILTERS);
  // The AMBER+STRICT actor is for org-a's readers cleared for it alone.
  const named = async (viewer: Viewer) =>
    (await distribution(server.dataSource, viewer, DistributionField.ACTOR, null, null, null)).some((b) => b.key === toGlobalId('Actor', actors[0]));
  expect(await Promise.all(READERS.map(named))).toEqual([false, false, false, true, false, true, false, false]);
}, 900_000);

test('distribution of ACTOR, with a topic or not, reads the actor totals; other kinds or a lower ceiling scan', async () => {
  const [green, amber] = [READERS[1], READERS[2]];
  const read = (viewer: Viewer, kinds: Parameters<typeof distributionSql>[2], filter: AggregateFilter | null) =>
    distributionSql(viewer, DistributionField.ACTOR, kinds, filter, 10).text;
  for (const filter of [null, { topic: TOPIC }, { topic: TOPIC, markingAtMost: Marking.AMBER }]) {
    expect(read(green, null, filter)).toContain('actor_total');
    expect(read(green, null, filter)).not.toContain('capability');
  }
  expect(read(green, ['CAPABILITY'], { topic: TOPIC })).not.toContain('actor_total');
  expect(read(amber, null, { markingAtMost: Marking.GREEN })).not.toContain('actor_total');
  expect(read(green, null, { actor: toGlobalId('Actor', '00000000-0000-0000-0000-000000000001') })).not.toContain('actor_total');
});
