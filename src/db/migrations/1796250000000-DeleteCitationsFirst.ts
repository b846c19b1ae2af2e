// A statement or source deleted for good takes its citations with it. By a cascade they went after it, so the
// history's trigger recorded their deletion without it, under markings it had left behind (a statement re-marked RED,
// then deleted, let its old readers read its citations' history again). Deleted first, they are recorded while it is
// there, as who may read it now.
import { MigrationInterface, QueryRunner } from 'typeorm';

const PARENTS: Array<[string, string]> = [
  ['source', 'source_id'],
  ['capability', 'capability_id'],
  ['challenge', 'challenge_id'],
  ['implication', 'implication_id'],
  ['event', 'event_id'],
  ['actor_relation', 'relation_id'],
];

export class DeleteCitationsFirst1796250000000 implements MigrationInterface {
  name = 'DeleteCitationsFirst1796250000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE FUNCTION delete_citations_first() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        EXECUTE format('DELETE FROM citation WHERE %I = $1', TG_ARGV[0]) USING OLD.id;
        RETURN OLD;
      END $$`);
    for (const [table, column] of PARENTS) {
      await queryRunner.query(`CREATE TRIGGER delete_citations_first BEFORE DELETE ON "${table}" FOR EACH ROW EXECUTE FUNCTION delete_citations_first('${column}')`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const [table] of PARENTS) await queryRunner.query(`DROP TRIGGER delete_citations_first ON "${table}"`);
    await queryRunner.query(`DROP FUNCTION delete_citations_first()`);
  }
}
