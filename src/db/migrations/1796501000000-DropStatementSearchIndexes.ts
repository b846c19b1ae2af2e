// Search matches and ranks the five statement kinds in search_entry (AddSearchEntries), through its own GIN index: the
// statement tables' GIN indexes on search_english (StoreSearchVectors) are read by no query since, yet every write
// of a statement still updated them. They go; the column stays, as what search_entry copies. Citations are still
// searched in their own table and keep theirs.
import { MigrationInterface, QueryRunner } from 'typeorm';

const TABLES = ['capability', 'challenge', 'implication', 'event', 'actor_relation'];

export class DropStatementSearchIndexes1796501000000 implements MigrationInterface {
  name = 'DropStatementSearchIndexes1796501000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES) await queryRunner.query(`DROP INDEX "search_${table}_english"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES) {
      await queryRunner.query(`CREATE INDEX "search_${table}_english" ON "${table}" USING gin ("search_english") WITH (fastupdate = off)`);
    }
  }
}
