// The change rollup's trigger (CountChangesByAccess) ran count_change() once per recorded change: for an import's
// thousands of created statements, a PL/pgSQL call and three one-row statements each. Creations are now counted once
// per INSERT into change, from its transition table: a statement's first change (no change_item row yet) is counted
// with set-based statements, whatever else (a re-creation under a known id) row by row, as before. Updates,
// retractions and deletions stay with the row trigger, whose work is unchanged.
//
// The counts are those count_change() made: the same change_item, change_access and change_key rows, and the same sums
// in change_rollup (one row per day, table, topic and combination instead of one per change; readers sum them).
// History is written by record_creations (a statement's creations, all of them 'create') and record_change (one change
// per statement), so no INSERT into change holds a creation and another change of the same statement, and counting a
// statement's creations after its other changes' row triggers changes nothing. A statement named twice in one INSERT
// is counted row by row.
import { MigrationInterface, QueryRunner } from 'typeorm';
import { CountChangesByAccess1796520000000 } from './1796520000000-CountChangesByAccess';

const STATEMENT_TABLES = ['capability', 'challenge', 'implication', 'event', 'actor_relation'];
const IN_STATEMENTS = `IN (${STATEMENT_TABLES.map((t) => `'${t}'`).join(', ')})`;

// As in CountChangesByAccess (expressions, not SQL functions: see there).
const entryKey = (e: string) => `md5((${e} ->> 'marking') || '|' || coalesce(${e} ->> 'organisation', '') || '|'
  || array_to_json((jsonb_populate_record(NULL::change_access_entry, ${e})).audience)::text)::uuid`;
const combinationId = (a: string, b: string, p: string) => `md5(${a}::text || '|' || ${b}::text || '|' || ${p}::text)::uuid`;
const addKeys = (rows: string) => `INSERT INTO change_key (id, marking, organisation, audience)
  SELECT * FROM (SELECT DISTINCT ${entryKey('e')} AS id, (e ->> 'marking')::tlp_marking, coalesce(e ->> 'organisation', ''),
    (jsonb_populate_record(NULL::change_access_entry, e)).audience FROM (${rows}) x (e)) k
  WHERE NOT EXISTS (SELECT FROM change_key o WHERE o.id = k.id)`;
const addCombinations = (rows: string) => `INSERT INTO change_access (id, a_key, b_key, p_keys)
  SELECT * FROM (${rows}) n (id, a_key, b_key, p_keys) WHERE NOT EXISTS (SELECT FROM change_access o WHERE o.id = n.id)`;

/** count_change()'s work for one change `c` (its body, with NEW as `c`). */
const COUNT_ONE_CHANGE = `CREATE FUNCTION count_one_change(c change) RETURNS void LANGUAGE plpgsql AS $fn$
  DECLARE
    k_after uuid := ${entryKey('c.access -> 0')};
    k_before uuid := ${entryKey('coalesce(c.access_before, c.access) -> 0')};
    known change_item%ROWTYPE;
    was_new boolean := FALSE;
    was_known boolean;
    now_key uuid;
    deleted uuid[];
    today uuid[];
    combination uuid;
  BEGIN
    IF c.operation = 'create' THEN
      INSERT INTO change_item (item_table, item_id, current_key, deleted_keys, p_keys) VALUES (c.item_table, c.item_id, k_after, '{}', ARRAY[k_after])
        ON CONFLICT DO NOTHING;
      was_new := FOUND;
    END IF;
    IF was_new THEN
      today := ARRAY[k_after];
    ELSE
      SELECT * INTO known FROM change_item WHERE item_table = c.item_table AND item_id = c.item_id FOR UPDATE;
      was_known := FOUND;
      deleted := coalesce(known.deleted_keys, '{}');
      IF c.operation = 'delete' THEN
        now_key := NULL;
        deleted := access_key_set(deleted || k_after);
      ELSE
        now_key := k_after;
      END IF;
      today := CASE WHEN deleted = '{}' THEN array_remove(ARRAY[now_key], NULL) ELSE access_key_set(deleted || now_key) END;
      IF NOT was_known THEN
        INSERT INTO change_item (item_table, item_id, current_key, deleted_keys, p_keys) VALUES (c.item_table, c.item_id, now_key, deleted, today);
      ELSIF (known.current_key, known.deleted_keys) IS DISTINCT FROM (now_key, deleted) THEN
        UPDATE change_item SET current_key = now_key, deleted_keys = deleted, p_keys = today WHERE item_table = c.item_table AND item_id = c.item_id;
        IF known.p_keys IS DISTINCT FROM today THEN
          WITH earlier AS (SELECT (e.at AT TIME ZONE 'UTC')::date AS day, e.topic_id, ${entryKey('e.access -> 0')} AS ka,
                ${entryKey('coalesce(e.access_before, e.access) -> 0')} AS kb, count(*) AS n
              FROM change e WHERE e.item_id = c.item_id AND e.item_table = c.item_table AND e.id <> c.id GROUP BY 1, 2, 3, 4),
            combinations AS (${addCombinations(`SELECT DISTINCT ${combinationId('ka', 'kb', 'today')}, ka, kb, today FROM earlier`)})
          INSERT INTO change_rollup (day, item_table, topic_id, access, n)
            SELECT day, c.item_table, topic_id, ${combinationId('ka', 'kb', 'known.p_keys')}, -n FROM earlier
            UNION ALL SELECT day, c.item_table, topic_id, ${combinationId('ka', 'kb', 'today')}, n FROM earlier;
        END IF;
      END IF;
    END IF;
    combination := ${combinationId('k_after', 'k_before', 'today')};
    WITH added AS (${addCombinations('VALUES (combination, k_after, k_before, today)')} RETURNING id),
      keys AS (${addKeys(`SELECT v.e FROM (VALUES (c.access -> 0), (coalesce(c.access_before, c.access) -> 0)) v (e) WHERE EXISTS (SELECT FROM added)`)})
    INSERT INTO change_rollup (day, item_table, topic_id, access, n) VALUES ((c.at AT TIME ZONE 'UTC')::date, c.item_table, c.topic_id, combination, 1);
  END $fn$`;

const CREATIONS = `SELECT * FROM new_changes n WHERE n.operation = 'create' AND n.item_table ${IN_STATEMENTS}`;

// The change_item row of each created statement, as count_change() added it for a statement's first change, unless
// it has one: how many were created, and how many rows added. Keys once per entry (an import's are a few).
const ADD_ITEMS = `WITH creations AS (SELECT c.id, c.item_table, c.item_id, c.access -> 0 AS e FROM (${CREATIONS}) c),
  keys_of AS (SELECT e, ${entryKey('e')} AS k FROM (SELECT DISTINCT e FROM creations) x),
  items AS (INSERT INTO change_item (item_table, item_id, current_key, deleted_keys, p_keys)
    SELECT c.item_table, c.item_id, k.k, '{}', ARRAY[k.k] FROM creations c JOIN keys_of k ON k.e = c.e ORDER BY c.id
    ON CONFLICT DO NOTHING RETURNING 1)
  SELECT (SELECT count(*) FROM creations), (SELECT count(*) FROM items)`;

// Every creation a first change: each counts under (A, B, {A}), once per group of changes alike.
const COUNT_FIRST_CHANGES = `WITH groups AS (SELECT g.*, ${combinationId('g.ka', 'g.kb', 'ARRAY[g.ka]')} AS combination
    FROM (SELECT day, item_table, topic_id, ea, eb, ${entryKey('ea')} AS ka, ${entryKey('eb')} AS kb, n
      FROM (SELECT (c.at AT TIME ZONE 'UTC')::date AS day, c.item_table, c.topic_id, c.access -> 0 AS ea, coalesce(c.access_before, c.access) -> 0 AS eb,
        count(*) AS n FROM (${CREATIONS}) c GROUP BY 1, 2, 3, 4, 5) c) g),
  combinations AS (SELECT DISTINCT ON (combination) combination, ka, kb, ea, eb FROM groups),
  added AS (${addCombinations('SELECT combination, ka, kb, ARRAY[ka] FROM combinations')} RETURNING id),
  keys AS (${addKeys('SELECT v.e FROM combinations c JOIN added a ON a.id = c.combination CROSS JOIN LATERAL (VALUES (c.ea), (c.eb)) v (e)')})
  INSERT INTO change_rollup (day, item_table, topic_id, access, n) SELECT day, item_table, topic_id, combination, sum(n) FROM groups GROUP BY 1, 2, 3, 4`;

// When some statement had its row already (re-created under its id, or named twice), every creation is counted row
// by row, in order: one whose row was just added is then counted as its first change (its row is the one that
// change would have added, so count_one_change() finds nothing to move), and the others as before.
// Planned each time (EXECUTE), at the size of the transition table, as record_creations' statements are.
const COUNT_CREATIONS = `CREATE FUNCTION count_creations() RETURNS trigger LANGUAGE plpgsql AS $fn$
  DECLARE
    created bigint;
    added bigint;
    c change;
  BEGIN
    IF NOT EXISTS (${CREATIONS}) THEN
      RETURN NULL;
    END IF;
    EXECUTE $q$ ${ADD_ITEMS} $q$ INTO created, added;
    IF added = created THEN
      EXECUTE $q$ ${COUNT_FIRST_CHANGES} $q$;
    ELSE
      FOR c IN ${CREATIONS} ORDER BY n.id LOOP
        PERFORM count_one_change(c);
      END LOOP;
    END IF;
    RETURN NULL;
  END $fn$`;

export class CountCreationsPerStatement1796570000000 implements MigrationInterface {
  name = 'CountCreationsPerStatement1796570000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const q = (text: string) => queryRunner.query(text);
    await q(COUNT_ONE_CHANGE);
    await q(COUNT_CREATIONS);
    await q(`DROP TRIGGER count_change ON change`);
    await q(`CREATE OR REPLACE FUNCTION count_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        PERFORM count_one_change(NEW);
        RETURN NULL;
      END $fn$`);
    await q(
      `CREATE TRIGGER count_change AFTER INSERT ON change FOR EACH ROW WHEN (NEW.operation <> 'create' AND NEW.item_table ${IN_STATEMENTS}) EXECUTE FUNCTION count_change()`,
    );
    await q(`CREATE TRIGGER count_creations AFTER INSERT ON change REFERENCING NEW TABLE AS new_changes FOR EACH STATEMENT EXECUTE FUNCTION count_creations()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    const q = (text: string) => queryRunner.query(text);
    await q(`DROP TRIGGER count_creations ON change`);
    await q(`DROP TRIGGER count_change ON change`);
    await q(await countChangeRowByRow());
    await q(`CREATE TRIGGER count_change AFTER INSERT ON change FOR EACH ROW WHEN (NEW.item_table ${IN_STATEMENTS}) EXECUTE FUNCTION count_change()`);
    await q(`DROP FUNCTION count_creations(), count_one_change(change)`);
  }
}

/** count_change() as CountChangesByAccess made it (CREATE OR REPLACE), the trigger function for every change. */
export async function countChangeRowByRow(): Promise<string> {
  const made: string[] = [];
  await new CountChangesByAccess1796520000000().up({ query: async (text: string) => void made.push(text) } as unknown as QueryRunner);
  return made.find((text) => text.startsWith('CREATE FUNCTION count_change()'))!.replace('CREATE FUNCTION', 'CREATE OR REPLACE FUNCTION');
}
