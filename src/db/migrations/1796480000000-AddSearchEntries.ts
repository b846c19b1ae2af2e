// A narrow search table for the five statement kinds: one row per statement with only what search reads to match,
// filter, count and rank (its stored english vector, kind, topic, the access key: marking, organisation, audience, and
// its retraction). Searching a million statements read the wide statement heaps for every match (to check access and
// to rank); this table holds a fraction of their bytes, and its btree on creation order lets a common term take its
// newest matches as the candidates to rank without reading all of them.
//
// Kept by statement-level triggers on every write path (mutations, imports, hand-written SQL), in the same
// transaction: inserted rows are added, updated rows replaced when a column the entry holds changed, deleted rows
// removed. The kind codes are the order of SearchType (src/modules/search/search.entries.ts).
import { MigrationInterface, QueryRunner } from 'typeorm';

export const ENTRY_KINDS: Array<[table: string, code: number]> = [
  ['capability', 1],
  ['challenge', 2],
  ['implication', 3],
  ['event', 4],
  ['actor_relation', 5],
];

// What an entry holds of its statement `s`; audience is NULL when empty (only RED items have one).
const COLUMNS = 'id, kind, marking, topic_id, created_at, retracted_at, organisation, audience, vector';
const values = (code: string, s: string) =>
  `${s}.id, ${code}, ${s}.marking, ${s}.topic_id, ${s}.created_at, ${s}.retracted_at, ${s}.organisation, nullif(${s}.audience, '{}'), coalesce(${s}.search_english, '')`;
const CHANGED = (n: string, o: string) =>
  ['marking', 'topic_id', 'created_at', 'retracted_at', 'organisation', 'audience', 'search_english'].map((c) => `${n}.${c} IS DISTINCT FROM ${o}.${c}`).join(' OR ');

export class AddSearchEntries1796480000000 implements MigrationInterface {
  name = 'AddSearchEntries1796480000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Columns ordered fixed-width first, so rows pack without padding.
    await queryRunner.query(`CREATE TABLE search_entry (
      id uuid PRIMARY KEY,
      topic_id uuid NOT NULL,
      created_at timestamptz NOT NULL,
      retracted_at timestamptz,
      marking tlp_marking NOT NULL,
      kind smallint NOT NULL,
      organisation text,
      audience text[],
      vector tsvector NOT NULL
    )`);
    await queryRunner.query(`CREATE FUNCTION search_entries_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE code smallint := TG_ARGV[0]::smallint;
      BEGIN
        IF TG_OP = 'DELETE' THEN
          DELETE FROM search_entry e USING old_rows o WHERE e.id = o.id;
        ELSIF TG_OP = 'INSERT' THEN
          INSERT INTO search_entry (${COLUMNS}) SELECT ${values('code', 'n')} FROM new_rows n;
        ELSE
          INSERT INTO search_entry (${COLUMNS})
            SELECT ${values('code', 'n')} FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE ${CHANGED('n', 'o')}
          ON CONFLICT (id) DO UPDATE SET (${COLUMNS}) = (EXCLUDED.${COLUMNS.split(', ').join(', EXCLUDED.')});
        END IF;
        RETURN NULL;
      END $$`);
    // Written in creation order, as later rows arrive: reading the newest entries is then a walk down the end of the heap.
    const all = ENTRY_KINDS.map(([table, code]) => `SELECT ${values(`${code}::smallint`, 's')} FROM "${table}" s`).join(' UNION ALL ');
    await queryRunner.query(`INSERT INTO search_entry (${COLUMNS}) SELECT * FROM (${all}) e ORDER BY created_at, id`);
    for (const [table, code] of ENTRY_KINDS) {
      await queryRunner.query(`CREATE TRIGGER search_entries_insert AFTER INSERT ON "${table}" REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION search_entries_changed(${code})`);
      await queryRunner.query(`CREATE TRIGGER search_entries_update AFTER UPDATE ON "${table}" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION search_entries_changed(${code})`);
      await queryRunner.query(`CREATE TRIGGER search_entries_delete AFTER DELETE ON "${table}" REFERENCING OLD TABLE AS old_rows
        FOR EACH STATEMENT EXECUTE FUNCTION search_entries_changed(${code})`);
    }
    await queryRunner.query(`CREATE INDEX search_entry_vector ON search_entry USING gin (vector) WITH (fastupdate = off)`);
    // The order a common term's candidates are taken in (newest first): read along it, a term matching one statement
    // in seven finds its candidates after a few thousand rows instead of ranking all of its matches.
    await queryRunner.query(`CREATE INDEX search_entry_newest ON search_entry (created_at DESC, id DESC)`);
    await queryRunner.query(`ANALYZE search_entry`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const [table] of [...ENTRY_KINDS].reverse()) {
      for (const op of ['insert', 'update', 'delete']) await queryRunner.query(`DROP TRIGGER search_entries_${op} ON "${table}"`);
    }
    await queryRunner.query(`DROP FUNCTION search_entries_changed()`);
    await queryRunner.query(`DROP TABLE search_entry`);
  }
}
