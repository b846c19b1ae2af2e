// Live updates (subscriptions): each instance LISTENs and reads what changed itself, through the access seam. The
// notifications carry positions and ids only, never content, and are sent by the writing transaction, so they
// arrive once it has committed, whichever instance (or tool) wrote.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class NotifyLiveUpdates1796260000000 implements MigrationInterface {
  name = 'NotifyLiveUpdates1796260000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Once per transaction that records changes: PostgreSQL folds equal notifications of one transaction into one.
    await queryRunner.query(`CREATE FUNCTION notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('dossier_change', pg_current_xact_id()::text);
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER notify_change AFTER INSERT ON "change" FOR EACH STATEMENT EXECUTE FUNCTION notify_change()`);
    // A run that finished, well or not: its definition and its id.
    await queryRunner.query(`CREATE FUNCTION notify_brief_run_finished() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('dossier_brief_run', NEW.definition_id::text || ':' || NEW.id::text);
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER notify_brief_run_finished AFTER INSERT OR UPDATE OF status ON "brief_run" FOR EACH ROW
      WHEN (NEW.status IN ('SUCCEEDED', 'FAILED')) EXECUTE FUNCTION notify_brief_run_finished()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER notify_brief_run_finished ON "brief_run"`);
    await queryRunner.query(`DROP FUNCTION notify_brief_run_finished()`);
    await queryRunner.query(`DROP TRIGGER notify_change ON "change"`);
    await queryRunner.query(`DROP FUNCTION notify_change()`);
  }
}
