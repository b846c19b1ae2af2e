// Counts of statement changes by UTC day, so that `timeSeries(of: CHANGE_DATE)` reads a few thousand rows instead of
// scanning the history (src/modules/aggregate/change-rollup.ts reads them).
//
// The rule they must answer is the feed's (change.read.ts, shownTo): change c is counted for a reader when
//   (V(A) OR V(B)) AND (V(P) OR (V(B) AND NOT V(A)))
// with A the key of who may read the statement after c (c.access), B before it (c.access_before, else A), and P the
// keys under which the statement is readable today: its present marking's, and the marking it had at each deletion
// (a deleted statement stays readable to those who could read it as it was deleted). V(P): any one of them visible.
// A, B and the day are fixed when the change is recorded; P moves with the statement. So a change is counted under
// its combination (A, B, P) of keys (change_access), and readers evaluate the rule once per combination.
//
// P needs no trigger on the statements: every write that re-marks, deletes or re-creates a statement records a change
// with its new access. The one trigger, on change, keeps P per statement (change_item) from the stream of its changes,
// and when P moves it moves the statement's earlier changes from their old combinations to the new ones: a read of
// that statement's own history (index change_of_item). Nothing deletes from change (it is append-only).
//
// Like aggregate_rollup, change_rollup takes delta rows only, so writers never wait on a hot count, and
// `compact_change_rollup()` sums them up now and then (readers sum whatever rows there are). Combinations and their
// keys (change_key) have no unique index either: a writer adds one it cannot see yet, so it never waits on another
// open transaction that added it too (or deadlocks with one, adding two in the other order). A duplicate is
// harmless: readers only list the ids shown.
import { MigrationInterface, QueryRunner } from 'typeorm';

const STATEMENT_TABLES = ['capability', 'challenge', 'implication', 'event', 'actor_relation'];
const IN_STATEMENTS = `IN (${STATEMENT_TABLES.map((t) => `'${t}'`).join(', ')})`;
const NEW_TABLES = ['change_item', 'change_access', 'change_key', 'change_rollup'];

// Written out as expressions, not SQL functions: the trigger evaluates them for every change, and a call of a SQL
// function that is not inlined costs more than the rest of the trigger.
/** The access key of entry `e` of change.access ({marking, organisation, audience}): access_key_id of its columns. */
const entryKey = (e: string) => `md5((${e} ->> 'marking') || '|' || coalesce(${e} ->> 'organisation', '') || '|'
  || array_to_json((jsonb_populate_record(NULL::change_access_entry, ${e})).audience)::text)::uuid`;
/** The id of a combination (A, B, P) of keys. */
const combinationId = (a: string, b: string, p: string) => `md5(${a}::text || '|' || ${b}::text || '|' || ${p}::text)::uuid`;

/** The change_key rows of entries `e` of change.access (from `rows`), added when none is seen. */
const addKeys = (rows: string) => `INSERT INTO change_key (id, marking, organisation, audience)
  SELECT * FROM (SELECT DISTINCT ${entryKey('e')} AS id, (e ->> 'marking')::tlp_marking, coalesce(e ->> 'organisation', ''),
    (jsonb_populate_record(NULL::change_access_entry, e)).audience FROM (${rows}) x (e)) k
  WHERE NOT EXISTS (SELECT FROM change_key o WHERE o.id = k.id)`;
/** Combinations (id, a_key, b_key, p_keys) of `rows` added to change_access when none is seen. */
const addCombinations = (rows: string) => `INSERT INTO change_access (id, a_key, b_key, p_keys)
  SELECT * FROM (${rows}) n (id, a_key, b_key, p_keys) WHERE NOT EXISTS (SELECT FROM change_access o WHERE o.id = n.id)`;

const COUNT_CHANGE = `CREATE FUNCTION count_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
  DECLARE
    k_after uuid := ${entryKey('NEW.access -> 0')};
    k_before uuid := ${entryKey('coalesce(NEW.access_before, NEW.access) -> 0')};
    known change_item%ROWTYPE;
    was_new boolean := FALSE;
    was_known boolean;
    now_key uuid;
    deleted uuid[];
    today uuid[];
    combination uuid;
  BEGIN
    -- A statement's first change (its creation): nothing to look up. Otherwise its state, locked (the statement's row
    -- lock orders its changes already).
    IF NEW.operation = 'create' THEN
      INSERT INTO change_item (item_table, item_id, current_key, deleted_keys, p_keys) VALUES (NEW.item_table, NEW.item_id, k_after, '{}', ARRAY[k_after])
        ON CONFLICT DO NOTHING;
      was_new := FOUND;
    END IF;
    IF was_new THEN
      today := ARRAY[k_after];
    ELSE
      SELECT * INTO known FROM change_item WHERE item_table = NEW.item_table AND item_id = NEW.item_id FOR UPDATE;
      was_known := FOUND;
      deleted := coalesce(known.deleted_keys, '{}');
      IF NEW.operation = 'delete' THEN
        now_key := NULL;
        deleted := access_key_set(deleted || k_after);
      ELSE
        now_key := k_after;
      END IF;
      today := CASE WHEN deleted = '{}' THEN array_remove(ARRAY[now_key], NULL) ELSE access_key_set(deleted || now_key) END;
      IF NOT was_known THEN
        INSERT INTO change_item (item_table, item_id, current_key, deleted_keys, p_keys) VALUES (NEW.item_table, NEW.item_id, now_key, deleted, today);
      ELSIF (known.current_key, known.deleted_keys) IS DISTINCT FROM (now_key, deleted) THEN
        UPDATE change_item SET current_key = now_key, deleted_keys = deleted, p_keys = today WHERE item_table = NEW.item_table AND item_id = NEW.item_id;
        IF known.p_keys IS DISTINCT FROM today THEN
          -- Readable today under other keys: its earlier changes move to their new combinations.
          WITH earlier AS (SELECT (c.at AT TIME ZONE 'UTC')::date AS day, c.topic_id, ${entryKey('c.access -> 0')} AS ka,
                ${entryKey('coalesce(c.access_before, c.access) -> 0')} AS kb, count(*) AS n
              FROM change c WHERE c.item_id = NEW.item_id AND c.item_table = NEW.item_table AND c.id <> NEW.id GROUP BY 1, 2, 3, 4),
            combinations AS (${addCombinations(`SELECT DISTINCT ${combinationId('ka', 'kb', 'today')}, ka, kb, today FROM earlier`)})
          INSERT INTO change_rollup (day, item_table, topic_id, access, n)
            SELECT day, NEW.item_table, topic_id, ${combinationId('ka', 'kb', 'known.p_keys')}, -n FROM earlier
            UNION ALL SELECT day, NEW.item_table, topic_id, ${combinationId('ka', 'kb', 'today')}, n FROM earlier;
        END IF;
      END IF;
    END IF;
    combination := ${combinationId('k_after', 'k_before', 'today')};
    -- One statement: the combination when new, with its keys (every key of P is the A of one of the statement's
    -- changes, so A and B are all a new combination adds), and the count.
    WITH added AS (${addCombinations('VALUES (combination, k_after, k_before, today)')} RETURNING id),
      keys AS (${addKeys(`SELECT v.e FROM (VALUES (NEW.access -> 0), (coalesce(NEW.access_before, NEW.access) -> 0)) v (e) WHERE EXISTS (SELECT FROM added)`)})
    INSERT INTO change_rollup (day, item_table, topic_id, access, n) VALUES ((NEW.at AT TIME ZONE 'UTC')::date, NEW.item_table, NEW.topic_id, combination, 1);
    RETURN NULL;
  END $fn$`;

export class CountChangesByAccess1796520000000 implements MigrationInterface {
  name = 'CountChangesByAccess1796520000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const q = (text: string) => queryRunner.query(text);
    // Per statement: its present key (NULL once deleted), the keys it had at its deletions, and P, their set.
    await q(`CREATE TABLE change_item (item_table text NOT NULL, item_id uuid NOT NULL, current_key uuid, deleted_keys uuid[] NOT NULL,
      p_keys uuid[] NOT NULL, PRIMARY KEY (item_table, item_id))`);
    await q(`CREATE TABLE change_access (id uuid NOT NULL, a_key uuid NOT NULL, b_key uuid NOT NULL, p_keys uuid[] NOT NULL)`);
    await q(`CREATE INDEX change_access_id ON change_access (id)`);
    // As access_key (its ids are access_key_id's), but not unique: see above.
    await q(`CREATE TABLE change_key (id uuid NOT NULL, marking tlp_marking NOT NULL, organisation text NOT NULL, audience text[] NOT NULL)`);
    await q(`CREATE INDEX change_key_id ON change_key (id)`);
    await q(`CREATE TABLE change_rollup (day date NOT NULL, item_table text NOT NULL, topic_id uuid, access uuid NOT NULL, n bigint NOT NULL)`);
    await q(`CREATE INDEX change_rollup_day ON change_rollup (day) INCLUDE (item_table, topic_id, access, n)`);
    await q(`CREATE TYPE change_access_entry AS (marking tlp_marking, organisation text, audience text[])`);
    await q(COUNT_CHANGE);
    await q(`CREATE FUNCTION compact_change_rollup() RETURNS void LANGUAGE sql AS $$
      WITH folded AS (SELECT array_agg(ctid) AS rows FROM change_rollup GROUP BY day, item_table, topic_id, access HAVING count(*) > 1 OR sum(n) = 0),
        gone AS (DELETE FROM change_rollup WHERE ctid = ANY(ARRAY(SELECT unnest(rows) FROM folded)) RETURNING *)
      INSERT INTO change_rollup SELECT day, item_table, topic_id, access, sum(n) FROM gone GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0 $$`);

    // What is recorded already, counted from nothing: P from the statements as they are and the deletions recorded.
    await q(addKeys(`SELECT access -> 0 FROM change WHERE item_table ${IN_STATEMENTS} UNION SELECT access_before -> 0 FROM change
      WHERE item_table ${IN_STATEMENTS} AND access_before IS NOT NULL`));
    const present = STATEMENT_TABLES.map((t) => `SELECT '${t}' AS item_table, id, access_key_id(marking, organisation, audience) AS key FROM ${t}`);
    await q(`INSERT INTO change_key (id, marking, organisation, audience)
      SELECT * FROM (SELECT DISTINCT access_key_id(marking, organisation, audience) AS id, marking, coalesce(organisation, ''), audience
        FROM (${STATEMENT_TABLES.map((t) => `SELECT marking, organisation, audience FROM ${t}`).join(' UNION ')}) x) k
      WHERE NOT EXISTS (SELECT FROM change_key o WHERE o.id = k.id)`);
    await q(`INSERT INTO change_item (item_table, item_id, current_key, deleted_keys, p_keys)
      SELECT d.item_table, d.item_id, x.key, d.deleted, access_key_set(d.deleted || x.key)
      FROM (SELECT item_table, item_id, access_key_set(coalesce(array_agg(${entryKey('access -> 0')}) FILTER (WHERE operation = 'delete'), '{}')) AS deleted
        FROM change WHERE item_table ${IN_STATEMENTS} GROUP BY 1, 2) d
      LEFT JOIN (${present.join(' UNION ALL ')}) x ON x.item_table = d.item_table AND x.id = d.item_id`);
    await q(`WITH g AS (SELECT (c.at AT TIME ZONE 'UTC')::date AS day, c.item_table, c.topic_id, ${entryKey('c.access -> 0')} AS ka,
          ${entryKey('coalesce(c.access_before, c.access) -> 0')} AS kb, i.p_keys, count(*) AS n
        FROM change c JOIN change_item i ON i.item_table = c.item_table AND i.item_id = c.item_id GROUP BY 1, 2, 3, 4, 5, 6),
      combinations AS (${addCombinations(`SELECT DISTINCT ${combinationId('ka', 'kb', 'p_keys')}, ka, kb, p_keys FROM g`)})
      INSERT INTO change_rollup (day, item_table, topic_id, access, n)
        SELECT day, item_table, topic_id, ${combinationId('ka', 'kb', 'p_keys')}, sum(n) FROM g GROUP BY 1, 2, 3, 4`);
    await q(`ANALYZE change_item, change_access, change_key, change_rollup`);
    await q(`CREATE TRIGGER count_change AFTER INSERT ON change FOR EACH ROW WHEN (NEW.item_table ${IN_STATEMENTS}) EXECUTE FUNCTION count_change()`);
    // Read by timeSeries: its writers move the data version, as every such table's do (TrackDataVersion).
    for (const table of NEW_TABLES) {
      await q(`CREATE TRIGGER note_data_write AFTER INSERT OR UPDATE OR DELETE ON "${table}" FOR EACH ROW EXECUTE FUNCTION note_data_write()`);
      await q(`CREATE TRIGGER note_data_truncate AFTER TRUNCATE ON "${table}" FOR EACH STATEMENT EXECUTE FUNCTION note_data_write()`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    const q = (text: string) => queryRunner.query(text);
    await q(`DROP TRIGGER count_change ON change`);
    await q(`DROP TABLE change_rollup, change_access, change_key, change_item`);
    await q(`DROP FUNCTION count_change(), compact_change_rollup()`);
    await q(`DROP TYPE change_access_entry`);
  }
}
