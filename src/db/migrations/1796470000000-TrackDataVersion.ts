// The data version the response cache keys its entries by (src/server/response-cache). Every transaction that changes
// a row of any table a read may look at notes its id in `data_write`, once, in the same transaction. `data_version()`
// is then exact without any lock between writers: in one snapshot, the newest writer visible (M) and the transactions
// still running below it (X) say which writers are visible. All writers up to M outside X have ended, and a writer
// that ends changes X or M, so two snapshots with the same (M, X) see the same data.
import { MigrationInterface, QueryRunner } from 'typeorm';

/** Tables without the trigger: notes that never outlive their transaction, the migrations, and `data_write` itself. */
export const UNVERSIONED_TABLES = ['migrations', 'contribution_pending', 'contribution_pending_transaction', 'data_write'];

export class TrackDataVersion1796470000000 implements MigrationInterface {
  name = 'TrackDataVersion1796470000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const q = (text: string) => queryRunner.query(text);
    await q(`CREATE TABLE data_write (tx xid8 PRIMARY KEY)`);
    // A row trigger, so a statement that changes nothing (a scheduler's empty UPDATE) leaves the version alone; the
    // setting makes every row after the first a comparison only. Rolled back to a savepoint, both go together.
    await q(`CREATE FUNCTION note_data_write() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        IF current_setting('dossier.data_write', true) IS DISTINCT FROM pg_current_xact_id()::text THEN
          INSERT INTO data_write (tx) VALUES (pg_current_xact_id()) ON CONFLICT DO NOTHING;
          PERFORM set_config('dossier.data_write', pg_current_xact_id()::text, true);
        END IF;
        RETURN NULL;
      END $fn$`);
    await q(`CREATE FUNCTION data_version() RETURNS text LANGUAGE sql STABLE AS $fn$
      SELECT coalesce(m.tx::text, '0') || coalesce(':' || (SELECT string_agg(x::text, '.' ORDER BY x)
        FROM pg_snapshot_xip(pg_current_snapshot()) x WHERE x < m.tx), '')
      FROM (SELECT max(tx) AS tx FROM data_write) m
    $fn$`);
    const tables = (await queryRunner.query(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT (c.relname = ANY($1)) ORDER BY 1`,
      [UNVERSIONED_TABLES],
    )) as Array<{ name: string }>;
    for (const { name } of tables) {
      await q(`CREATE TRIGGER note_data_write AFTER INSERT OR UPDATE OR DELETE ON "${name}" FOR EACH ROW EXECUTE FUNCTION note_data_write()`);
      await q(`CREATE TRIGGER note_data_truncate AFTER TRUNCATE ON "${name}" FOR EACH STATEMENT EXECUTE FUNCTION note_data_write()`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    const triggers = (await queryRunner.query(
      `SELECT t.tgname AS trigger, c.relname AS table FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
       WHERE t.tgname IN ('note_data_write', 'note_data_truncate')`,
    )) as Array<{ trigger: string; table: string }>;
    for (const t of triggers) await queryRunner.query(`DROP TRIGGER "${t.trigger}" ON "${t.table}"`);
    await queryRunner.query(`DROP FUNCTION data_version(), note_data_write()`);
    await queryRunner.query(`DROP TABLE data_write`);
  }
}
