// Which STIX objects an import took in (modules/stix): the item each became and the `modified` seen, so that a bundle
// imported again changes nothing, a newer `modified` updates, and `revoked` retracts.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class RecordStixObjects1796440000000 implements MigrationInterface {
  name = 'RecordStixObjects1796440000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "stix_object" ("document" text NOT NULL, "stix_id" text NOT NULL, "item_id" uuid NOT NULL, "item_table" text NOT NULL, "modified" TIMESTAMP WITH TIME ZONE NOT NULL, "principal" text NOT NULL, "confidence" integer, "reliability" text, "imported_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_76859c4a08c0e30de78ff76e1d6" PRIMARY KEY ("document", "stix_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_b2bc79c8b86f790400be6c3d65" ON "stix_object"  ("item_id") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_b2bc79c8b86f790400be6c3d65"`);
    await queryRunner.query(`DROP TABLE "stix_object"`);
  }
}
