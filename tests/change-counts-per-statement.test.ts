import 'reflect-metadata';
import type { DataSource, QueryRunner } from 'typeorm';
import { createDataSource } from '../src/db/data-source';
import { countChangeRowByRow } from '../src/db/migrations/1796570000000-CountCreationsPerStatement';
import { createTestDatabase } from './support/test-database';

// The change rollup counts a statement's creations once per INSERT into change (CountCreationsPerStatement). After
// the same writes it must hold what the row trigger of CountChangesByAccess made of them: the same change_item rows,
// combinations, keys and sums, whatever the INSERT held (many first changes, re-creations under a known id, a
// statement named twice, no statement at all).
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let dataSource: DataSource;
const STATEMENTS = `('capability', 'challenge', 'implication', 'event', 'actor_relation')`;

/** Fixed ids (the two runs must write the same rows): capability i, relation i. */
const cap = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
const rel = (i: number) => `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`;
const TUPLES = [
  ['CLEAR', null, []],
  ['AMBER_STRICT', 'org-a', []],
  ['RED', null, ['org-a/r1']],
] as const;

/** Capabilities `ids`, under the marking tuples in turn, in one INSERT. */
const insertCapabilities = (run: QueryRunner, ids: string[]) =>
  run.query(
    `INSERT INTO capability (id, topic_id, actor_id, category, statement, marking, organisation, audience)
     SELECT x.id, (SELECT id FROM topic WHERE slug = 'counts-per-statement'), (SELECT id FROM actor WHERE name = 'counts actor'), 'TACTICS', 'c',
       (t.v ->> 0)::tlp_marking, t.v ->> 1, ARRAY(SELECT jsonb_array_elements_text(t.v -> 2))
     FROM unnest($1::uuid[]) WITH ORDINALITY x (id, i) JOIN jsonb_array_elements($2::jsonb) WITH ORDINALITY t (v, j) ON (x.i - 1) % $3 = t.j - 1`,
    [ids, JSON.stringify(TUPLES), TUPLES.length],
  );

/** Writes of every sort, several in one statement, in the transaction of `run`. */
async function writes(run: QueryRunner) {
  const caps = Array.from({ length: 9 }, (_, i) => cap(i + 1));
  await insertCapabilities(run, caps);
  await run.query(
    `INSERT INTO actor_relation (id, topic_id, from_actor_id, to_actor_id, type, marking, organisation, audience)
     SELECT x.id, (SELECT id FROM topic WHERE slug = 'counts-per-statement'), (SELECT id FROM actor WHERE name = 'counts actor'),
       (SELECT id FROM actor WHERE name = 'counts actor 2'), 'SUPPORTS', 'GREEN', NULL, '{}' FROM unnest($1::uuid[]) x (id)`,
    [[rel(1), rel(2), rel(3)]],
  );
  await run.query(
    `INSERT INTO citation (id, source_id, verb, quote, credibility, capability_id) SELECT gen_random_uuid(),
    (SELECT id FROM source WHERE name = 'counts source'), 'REPORTS', 'q', 3, id FROM unnest($1::uuid[]) x (id)`,
    [caps.slice(0, 4)],
  );
  await run.query(`UPDATE capability SET marking = 'RED', organisation = NULL, audience = '{org-b/r2}' WHERE id = ANY($1)`, [caps.slice(0, 3)]);
  await run.query(`UPDATE capability SET retracted_at = now(), retraction_reason = 'withdrawn' WHERE id = ANY($1)`, [caps.slice(2, 5)]);
  await run.query(`UPDATE actor_relation SET marking = 'AMBER' WHERE id = $1`, [rel(1)]);
  await run.query(`DELETE FROM capability WHERE id = ANY($1)`, [[caps[1], caps[3], caps[6]]]);
  // Re-created under their ids, with three first changes, in one INSERT: counted row by row.
  await insertCapabilities(run, [caps[1], cap(10), caps[3], cap(11), caps[6], cap(12)]);
  await run.query(`UPDATE capability SET retracted_at = NULL, retraction_reason = NULL WHERE id = ANY($1)`, [caps]);
  await run.query(`UPDATE capability SET marking = 'GREEN', organisation = NULL, audience = '{}' WHERE id = ANY($1)`, [[caps[1], cap(10)]]);
  // First changes alone again, then history naming one statement twice in one INSERT (no writer does; still counted).
  await insertCapabilities(run, [cap(13), cap(14), cap(15), cap(16)]);
  await run.query(
    `INSERT INTO change (item_table, item_id, topic_id, operation, version, access)
     SELECT 'capability', $1, (SELECT id FROM topic WHERE slug = 'counts-per-statement'), 'create', v, jsonb_build_array(jsonb_build_object('marking', m, 'organisation', NULL, 'audience', '[]'::jsonb))
     FROM (VALUES (1, 'GREEN'), (2, 'AMBER'), (3, 'RED')) x (v, m)`,
    [cap(17)],
  );
}

/** What the rollup holds (sums as readers see them) after `writes`, counted per statement or row by row. */
async function countsAfterWrites(rowByRow: boolean) {
  const run = dataSource.createQueryRunner();
  try {
    await run.startTransaction();
    if (rowByRow) {
      await run.query(`DROP TRIGGER count_creations ON change`);
      await run.query(`DROP TRIGGER count_change ON change`);
      await run.query(await countChangeRowByRow());
      await run.query(`CREATE TRIGGER count_change AFTER INSERT ON change FOR EACH ROW WHEN (NEW.item_table IN ${STATEMENTS}) EXECUTE FUNCTION count_change()`);
    }
    const triggers = await run.query(`SELECT tgname AS name FROM pg_trigger WHERE tgrelid = 'change'::regclass AND tgname LIKE 'count_%' ORDER BY 1`);
    await writes(run);
    return {
      triggers: triggers.map((t: { name: string }) => t.name),
      items: await run.query(`SELECT item_table, item_id, current_key, deleted_keys, p_keys FROM change_item ORDER BY 1, 2`),
      combinations: await run.query(`SELECT id, a_key, b_key, p_keys, count(*)::int AS rows FROM change_access GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`),
      keys: await run.query(`SELECT id, marking, organisation, audience, count(*)::int AS rows FROM change_key GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`),
      sums: await run.query(
        `SELECT day, item_table, topic_id, access, sum(n)::int AS n FROM change_rollup GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0 ORDER BY 1, 2, 3, 4`,
      ),
      changes: (await run.query(`SELECT count(*)::int AS n FROM change WHERE item_table IN ${STATEMENTS}`))[0].n,
    };
  } finally {
    await run.rollbackTransaction();
    await run.release();
  }
}

beforeAll(async () => {
  database = await createTestDatabase();
  dataSource = createDataSource(database.url);
  await dataSource.initialize();
  await dataSource.query(`INSERT INTO topic (id, slug, title, summary) VALUES (gen_random_uuid(), 'counts-per-statement', 'Counts', 't')`);
  await dataSource.query(
    `INSERT INTO actor (id, name, kind) VALUES (gen_random_uuid(), 'counts actor', 'STATE'), (gen_random_uuid(), 'counts actor 2', 'STATE')`,
  );
  await dataSource.query(`INSERT INTO source (id, name, kind, reliability) VALUES (gen_random_uuid(), 'counts source', 'MEDIA_REPORT', 'A')`);
});
afterAll(async () => {
  await dataSource?.destroy();
  await database?.drop();
});

test('creations counted per statement are what the row trigger counted, after writes of every sort', async () => {
  const before = await dataSource.query(`SELECT count(*)::int AS n FROM change_item`);
  const [perStatement, rowByRow] = [await countsAfterWrites(false), await countsAfterWrites(true)];
  expect(perStatement.triggers).toEqual(['count_change', 'count_creations']);
  expect(rowByRow.triggers).toEqual(['count_change']);
  const { triggers: _a, ...counted } = perStatement;
  const { triggers: _b, ...expected } = rowByRow;
  expect(counted).toEqual(expected);
  // Not vacuous: every change counted once, statements readable under several key sets, and nothing stayed behind.
  expect(counted.items.length).toBe(before[0].n + 17 + 3);
  expect(counted.sums.reduce((n: number, s: { n: number }) => n + s.n, 0)).toBe(counted.changes);
  expect(new Set(counted.items.map((i: { p_keys: string[] }) => i.p_keys.join())).size).toBeGreaterThan(3);
  expect((await dataSource.query(`SELECT count(*)::int AS n FROM change_item`))[0].n).toBe(before[0].n);
}, 120_000);
