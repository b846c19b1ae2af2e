// Events list in the order of their date's interval (src/modules/event/event.dates.ts, occurredOrderSql): an index on
// that expression and the id, character for character, so keyset pages read it instead of sorting every event.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class IndexEventDateOrder1796360000000 implements MigrationInterface {
  name = 'IndexEventDateOrder1796360000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "event_occurred_order" ON "event" (((occurred_on + CASE precision WHEN 'DAY' THEN interval '0 day' WHEN 'MONTH' THEN interval '1 month - 1 day 1 hour'
    ELSE interval '1 year - 1 day 2 hours' END) AT TIME ZONE 'UTC'), id)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "event_occurred_order"`);
  }
}
