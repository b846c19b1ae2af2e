// Tables created by migrations that sort after TrackDataVersion (the search entries, STIX objects and per-statement
// contributions) get the data version's triggers too, so a write to them alone still moves the version.
import { MigrationInterface, QueryRunner } from 'typeorm';
import { UNVERSIONED_TABLES } from './1796470000000-TrackDataVersion';

export class VersionTablesAddedAlongside1796490000000 implements MigrationInterface {
  name = 'VersionTablesAddedAlongside1796490000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const tables = (await queryRunner.query(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT (c.relname = ANY($1))
         AND NOT EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname = 'note_data_write') ORDER BY 1`,
      [UNVERSIONED_TABLES],
    )) as Array<{ name: string }>;
    for (const { name } of tables) {
      await queryRunner.query(`CREATE TRIGGER note_data_write AFTER INSERT OR UPDATE OR DELETE ON "${name}" FOR EACH ROW EXECUTE FUNCTION note_data_write()`);
      await queryRunner.query(`CREATE TRIGGER note_data_truncate AFTER TRUNCATE ON "${name}" FOR EACH STATEMENT EXECUTE FUNCTION note_data_write()`);
    }
  }

  public async down(): Promise<void> {
    // The triggers stay with their tables; TrackDataVersion's down removes every one of them.
  }
}
