// Writers held the actors, sources and publishers they name FOR SHARE until commit (RollupActorsAndPublishers), so
// that a concurrent re-mark of such a row waits for them. FOR SHARE also conflicts with every plain UPDATE of the row
// (FOR NO KEY UPDATE), so two writers naming actors A and B, one then editing A's description and the other B's,
// deadlocked. Writers now take FOR KEY SHARE, as a foreign key does, which no non-key UPDATE waits for. A re-mark (an
// UPDATE of the columns that decide contributions) upgrades its lock to FOR UPDATE in a BEFORE UPDATE trigger, and
// FOR UPDATE conflicts with KEY SHARE: it still waits for every open writer naming the row (a DELETE takes FOR UPDATE
// already). The function bodies are those of RollupActorsAndPublishers, only the lock strength changed.
// The re-mark waits holding FOR NO KEY UPDATE, so a writer that names the row and then edits it deadlocks with a bare
// re-mark UPDATE; the API's updates and retractions lock FOR UPDATE first (lockItem), and so just wait.
import { MigrationInterface, QueryRunner } from 'typeorm';

/** Columns of source and actor that decide contributions (SOURCE_COLUMNS, ACTOR_COLUMNS of the rollup). */
const DECIDING: Record<string, string[]> = {
  source: ['marking', 'organisation', 'audience', 'retracted_at', 'reliability', 'published_on', 'publisher_id'],
  actor: ['marking', 'organisation', 'audience', 'kind'],
};
const CITED = [
  ['capability_id', 'CAPABILITY'],
  ['challenge_id', 'CHALLENGE'],
  ['implication_id', 'IMPLICATION'],
  ['event_id', 'EVENT'],
  ['relation_id', 'RELATION'],
];

const statementFunction = (lock: string) => `CREATE OR REPLACE FUNCTION statement_contributions_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE ids uuid[];
      BEGIN
        EXECUTE format('SELECT array_agg(DISTINCT id) FROM (%s) t', touched_rows(TG_OP, TG_ARGV[1])) INTO ids;
        IF ids IS NOT NULL AND TG_OP <> 'DELETE' AND TG_ARGV[2] <> '' THEN
          EXECUTE format('SELECT FROM actor WHERE id IN (%s) ORDER BY id FOR ${lock}', TG_ARGV[2]);
        END IF;
        PERFORM defer_contributions(TG_ARGV[0], ids);
        RETURN NULL;
      END $fn$`;

const citedFunction = (lock: string) => `CREATE OR REPLACE FUNCTION cited_contributions_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE ids uuid[]; touched text := touched_rows(TG_OP, TG_ARGV[0]);
      BEGIN
        IF TG_OP <> 'DELETE' AND TG_TABLE_NAME = 'citation' THEN
          EXECUTE 'SELECT FROM source WHERE id IN (SELECT source_id FROM new_rows) ORDER BY id FOR ${lock}';
          EXECUTE 'SELECT FROM actor WHERE id IN (SELECT publisher_id FROM source WHERE id IN (SELECT source_id FROM new_rows)) ORDER BY id FOR ${lock}';
        ELSIF TG_OP <> 'DELETE' THEN
          EXECUTE 'SELECT FROM actor WHERE id IN (SELECT publisher_id FROM new_rows) ORDER BY id FOR ${lock}';
        END IF;
        ${CITED.map(
          ([column, kind]) => `IF TG_TABLE_NAME = 'citation' THEN
          EXECUTE format('SELECT array_agg(DISTINCT ${column}) FROM (%s) t WHERE ${column} IS NOT NULL', touched) INTO ids;
        ELSE
          EXECUTE format('SELECT array_agg(DISTINCT ${column}) FROM citation WHERE ${column} IS NOT NULL AND source_id IN (SELECT id FROM (%s) t)', touched) INTO ids;
        END IF;
        PERFORM defer_contributions('${kind}', ids);`,
        ).join('\n        ')}
        RETURN NULL;
      END $fn$`;

const linkFunction = (lock: string) => `CREATE OR REPLACE FUNCTION link_contributions_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE ids uuid[];
      BEGIN
        EXECUTE format('SELECT array_agg(DISTINCT %I) FROM (%s) t', TG_ARGV[1], CASE TG_OP WHEN 'INSERT' THEN 'SELECT * FROM new_rows'
          WHEN 'DELETE' THEN 'SELECT * FROM old_rows' ELSE 'SELECT * FROM new_rows UNION ALL SELECT * FROM old_rows' END) INTO ids;
        IF TG_OP <> 'DELETE' THEN EXECUTE 'SELECT FROM actor WHERE id IN (SELECT actor_id FROM new_rows) ORDER BY id FOR ${lock}'; END IF;
        PERFORM defer_contributions(TG_ARGV[0], ids);
        RETURN NULL;
      END $fn$`;

async function defineFunctions(queryRunner: QueryRunner, lock: string) {
  for (const sql of [statementFunction(lock), citedFunction(lock), linkFunction(lock)]) await queryRunner.query(sql);
}

export class HoldNamedRowsForKeyShare1796560000000 implements MigrationInterface {
  name = 'HoldNamedRowsForKeyShare1796560000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await defineFunctions(queryRunner, 'KEY SHARE');
    // The UPDATE holds the row FOR NO KEY UPDATE already; this waits until no other transaction holds it KEY SHARE.
    await queryRunner.query(`CREATE FUNCTION hold_for_remark() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        EXECUTE format('SELECT FROM %I.%I WHERE id = $1 FOR UPDATE', TG_TABLE_SCHEMA, TG_TABLE_NAME) USING NEW.id;
        RETURN NEW;
      END $fn$`);
    for (const [table, columns] of Object.entries(DECIDING)) {
      const row = (r: string) => `(${columns.map((c) => `${r}.${c}`).join(', ')})`;
      await queryRunner.query(
        `CREATE TRIGGER hold_for_remark BEFORE UPDATE ON "${table}" FOR EACH ROW WHEN (${row('OLD')} IS DISTINCT FROM ${row('NEW')}) EXECUTE FUNCTION hold_for_remark()`,
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of Object.keys(DECIDING)) await queryRunner.query(`DROP TRIGGER hold_for_remark ON "${table}"`);
    await queryRunner.query(`DROP FUNCTION hold_for_remark()`);
    await defineFunctions(queryRunner, 'SHARE');
  }
}
