import { MigrationInterface, QueryRunner } from "typeorm";

export class AddBriefDeliveries1796280000000 implements MigrationInterface {
    name = 'AddBriefDeliveries1796280000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TYPE "public"."delivery_kind" AS ENUM('WEBHOOK', 'EMAIL')`);
        await queryRunner.query(`CREATE TABLE "delivery_target" ("id" uuid NOT NULL, "definition_id" uuid NOT NULL, "kind" "public"."delivery_kind" NOT NULL, "url" text, "secret" text, "recipients" text array NOT NULL DEFAULT '{}', "label" text NOT NULL, "clearance" "public"."tlp_marking" NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "delivery_target_deliverable" CHECK (clearance <= 'AMBER'::tlp_marking), CONSTRAINT "delivery_target_kind_fields" CHECK ((kind = 'WEBHOOK' AND url IS NOT NULL AND secret IS NOT NULL) OR (kind = 'EMAIL' AND cardinality(recipients) > 0)), CONSTRAINT "PK_e247e181d986cb7caf82bd58c0d" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_d572413d9346a60df5ad8522af" ON "delivery_target"  ("definition_id") `);
        await queryRunner.query(`CREATE TYPE "public"."delivery_state" AS ENUM('PENDING', 'DELIVERED', 'FAILED', 'SKIPPED_UNCHANGED')`);
        await queryRunner.query(`CREATE TABLE "brief_delivery" ("id" uuid NOT NULL, "run_id" uuid NOT NULL, "target_id" uuid, "kind" "public"."delivery_kind" NOT NULL, "target" text NOT NULL, "clearance" "public"."tlp_marking" NOT NULL, "state" "public"."delivery_state" NOT NULL, "attempts" integer NOT NULL DEFAULT '0', "last_status_code" integer, "error" text, "response_excerpt" text, "marking" "public"."tlp_marking", "content_hash" text, "payload" text, "contents" jsonb, "snapshot" jsonb, "job_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_attempt_at" TIMESTAMP WITH TIME ZONE, "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "brief_delivery_once" UNIQUE ("run_id", "target_id"), CONSTRAINT "PK_2f215a61c448e5eb00832530536" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "brief_delivery_by_target" ON "brief_delivery"  ("target_id", "created_at") `);
        await queryRunner.query(`CREATE INDEX "brief_delivery_unqueued" ON "brief_delivery"  ("created_at") WHERE state = 'PENDING' AND job_id IS NULL`);
        await queryRunner.query(`ALTER TABLE "brief_definition" ADD "only_when_changed" boolean NOT NULL DEFAULT false`);
        await queryRunner.query(`ALTER TABLE "delivery_target" ADD CONSTRAINT "FK_d572413d9346a60df5ad8522afc" FOREIGN KEY ("definition_id") REFERENCES "brief_definition"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "brief_delivery" ADD CONSTRAINT "FK_f37ac4f2b58729bd6825cbb9c92" FOREIGN KEY ("run_id") REFERENCES "brief_run"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "brief_delivery" ADD CONSTRAINT "FK_eb83c7c9bb409f45bdd189068df" FOREIGN KEY ("target_id") REFERENCES "delivery_target"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "brief_delivery" DROP CONSTRAINT "FK_eb83c7c9bb409f45bdd189068df"`);
        await queryRunner.query(`ALTER TABLE "brief_delivery" DROP CONSTRAINT "FK_f37ac4f2b58729bd6825cbb9c92"`);
        await queryRunner.query(`ALTER TABLE "delivery_target" DROP CONSTRAINT "FK_d572413d9346a60df5ad8522afc"`);
        await queryRunner.query(`ALTER TABLE "brief_definition" DROP COLUMN "only_when_changed"`);
        await queryRunner.query(`DROP INDEX "public"."brief_delivery_unqueued"`);
        await queryRunner.query(`DROP INDEX "public"."brief_delivery_by_target"`);
        await queryRunner.query(`DROP TABLE "brief_delivery"`);
        await queryRunner.query(`DROP TYPE "public"."delivery_state"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_d572413d9346a60df5ad8522af"`);
        await queryRunner.query(`DROP TABLE "delivery_target"`);
        await queryRunner.query(`DROP TYPE "public"."delivery_kind"`);
    }

}
