// Stored search vectors for the tables that grow with the statements (the five statement kinds and citations). With
// expression indexes only, ranking re-parsed every matched row's text (to_tsvector per row: ~0.7 s for 140k matches
// of a common word at a million statements) and so did the recheck of phrase queries. Each table gets a
// `search_english` column, set by a BEFORE trigger from the row's own text in the same write (every path: mutations,
// imports, hand-written statements), and its GIN index moves from the expression to the column. Topics, actors,
// places and sources stay on expression indexes: they are few. The column's expression per table is the one of
// src/modules/search/search.tables.ts (`stored`).
import { MigrationInterface, QueryRunner } from 'typeorm';

const english = (...columns: string[]) => columns.map((c) => `to_tsvector('english'::regconfig, coalesce(${c}, ''))`).join(' || ');

/** Table, its text columns, and the expression index the column replaces. */
const TABLES: Array<[string, string[], string]> = [
  ['capability', ['statement'], 'search_capability_english'],
  ['challenge', ['statement'], 'search_challenge_english'],
  ['implication', ['statement'], 'search_implication_english'],
  ['event', ['title', 'description'], 'search_event_english'],
  ['actor_relation', ['description'], 'search_actor_relation_english'],
  ['citation', ['quote'], 'search_citation_english'],
];

export class StoreSearchVectors1796320000000 implements MigrationInterface {
  name = 'StoreSearchVectors1796320000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const [table, columns, index] of TABLES) {
      const expression = english(...columns.map((c) => `NEW.${c}`));
      await queryRunner.query(`CREATE FUNCTION "${table}_search_vector"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN NEW.search_english := ${expression}; RETURN NEW; END $$`);
      // Filled as a generated column (one table rewrite, no UPDATE through the other triggers), then kept up by the
      // trigger: a plain column, so the entity declares it as one.
      await queryRunner.query(`ALTER TABLE "${table}" ADD "search_english" tsvector GENERATED ALWAYS AS (${english(...columns)}) STORED`);
      await queryRunner.query(`ALTER TABLE "${table}" ALTER COLUMN "search_english" DROP EXPRESSION`);
      await queryRunner.query(
        `CREATE TRIGGER "${table}_search_vector" BEFORE INSERT OR UPDATE OF ${columns.join(', ')} ON "${table}"
          FOR EACH ROW EXECUTE FUNCTION "${table}_search_vector"()`,
      );
      await queryRunner.query(`DROP INDEX "${index}"`);
      await queryRunner.query(`CREATE INDEX "${index}" ON "${table}" USING gin ("search_english") WITH (fastupdate = off)`);
      // Without statistics on the new column the planner guessed 5,000 matches for a term that has 140,000.
      await queryRunner.query(`ANALYZE "${table}" ("search_english")`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const [table, columns, index] of [...TABLES].reverse()) {
      await queryRunner.query(`DROP INDEX "${index}"`);
      await queryRunner.query(`CREATE INDEX "${index}" ON "${table}" USING gin ((${english(...columns)})) WITH (fastupdate = off)`);
      await queryRunner.query(`DROP TRIGGER "${table}_search_vector" ON "${table}"`);
      await queryRunner.query(`ALTER TABLE "${table}" DROP COLUMN "search_english"`);
      await queryRunner.query(`DROP FUNCTION "${table}_search_vector"()`);
    }
  }
}
