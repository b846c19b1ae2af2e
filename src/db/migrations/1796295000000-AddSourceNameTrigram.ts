// Misspelt source names find their source, as misspelt actor and place names do: a trigram index on the expression
// of src/modules/search/search.tables.ts (character for character, so the planner uses it).
import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddSourceNameTrigram1796295000000 implements MigrationInterface {
  name = 'AddSourceNameTrigram1796295000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "search_source_trigram" ON "source" USING gin ((coalesce(name, '')) gin_trgm_ops)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "search_source_trigram"`);
  }
}
