// Which document wrote which item (modules/import): a document changes only what it wrote and nobody changed since.
import { MigrationInterface, QueryRunner } from "typeorm";

export class RecordImportedItems1796230000000 implements MigrationInterface {
    name = 'RecordImportedItems1796230000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "imported_item" ("item_id" uuid NOT NULL, "item_table" text NOT NULL, "document" text NOT NULL, "version" integer NOT NULL, "links" jsonb, "imported_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7e1f689b020bcde19f4077de43f" PRIMARY KEY ("item_id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_70bf92d779b228c221aae50a17" ON "imported_item"  ("document") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."IDX_70bf92d779b228c221aae50a17"`);
        await queryRunner.query(`DROP TABLE "imported_item"`);
    }

}
