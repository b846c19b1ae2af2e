// A source, or one citation of it, may name the original source whose reporting it passes on: independence is
// counted over originals (src/modules/brief/brief.evidence.ts).
import { MigrationInterface, QueryRunner } from "typeorm";

export class RecordRelays1796450000000 implements MigrationInterface {
    name = 'RecordRelays1796450000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "source" ADD "relays_id" uuid`);
        await queryRunner.query(`ALTER TABLE "citation" ADD "relayed_from_id" uuid`);
        await queryRunner.query(`CREATE INDEX "IDX_9e5f157601b6d7d24f3c061e75" ON "source"  ("relays_id") `);
        await queryRunner.query(`CREATE INDEX "IDX_a413485e67209cd586e41c4229" ON "citation"  ("relayed_from_id") `);
        await queryRunner.query(`ALTER TABLE "source" ADD CONSTRAINT "source_relays_another" CHECK (relays_id <> id)`);
        await queryRunner.query(`ALTER TABLE "citation" ADD CONSTRAINT "citation_relays_another" CHECK (relayed_from_id <> source_id)`);
        await queryRunner.query(`ALTER TABLE "source" ADD CONSTRAINT "FK_9e5f157601b6d7d24f3c061e75f" FOREIGN KEY ("relays_id") REFERENCES "source"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "citation" ADD CONSTRAINT "FK_a413485e67209cd586e41c42291" FOREIGN KEY ("relayed_from_id") REFERENCES "source"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "citation" DROP CONSTRAINT "FK_a413485e67209cd586e41c42291"`);
        await queryRunner.query(`ALTER TABLE "source" DROP CONSTRAINT "FK_9e5f157601b6d7d24f3c061e75f"`);
        await queryRunner.query(`ALTER TABLE "citation" DROP CONSTRAINT "citation_relays_another"`);
        await queryRunner.query(`ALTER TABLE "source" DROP CONSTRAINT "source_relays_another"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_a413485e67209cd586e41c4229"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_9e5f157601b6d7d24f3c061e75"`);
        await queryRunner.query(`ALTER TABLE "citation" DROP COLUMN "relayed_from_id"`);
        await queryRunner.query(`ALTER TABLE "source" DROP COLUMN "relays_id"`);
    }

}
