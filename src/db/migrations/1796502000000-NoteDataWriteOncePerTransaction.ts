// The data version's row trigger (TrackDataVersion) ran its PL/pgSQL function for every row written, to find that the
// transaction had been noted already: a call per row of every bulk write (an import writes tens of thousands of rows,
// history and bookkeeping included). The same test, as the trigger's WHEN condition, is checked as each row is written,
// without a call and without queueing the row's event: the function runs only until the transaction is noted.
// What is noted, and when, is unchanged.
import { MigrationInterface, QueryRunner } from 'typeorm';

const NOTED = `current_setting('dossier.data_write', true) IS DISTINCT FROM pg_current_xact_id()::text`;

async function tablesWithTrigger(queryRunner: QueryRunner): Promise<string[]> {
  const rows = (await queryRunner.query(
    `SELECT c.relname AS name FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND t.tgname = 'note_data_write' ORDER BY 1`,
  )) as Array<{ name: string }>;
  return rows.map((r) => r.name);
}

async function recreate(queryRunner: QueryRunner, when: string) {
  for (const name of await tablesWithTrigger(queryRunner)) {
    await queryRunner.query(`DROP TRIGGER note_data_write ON "${name}"`);
    await queryRunner.query(`CREATE TRIGGER note_data_write AFTER INSERT OR UPDATE OR DELETE ON "${name}" FOR EACH ROW ${when} EXECUTE FUNCTION note_data_write()`);
  }
}

export class NoteDataWriteOncePerTransaction1796502000000 implements MigrationInterface {
  name = 'NoteDataWriteOncePerTransaction1796502000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await recreate(queryRunner, `WHEN (${NOTED})`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await recreate(queryRunner, '');
  }
}
