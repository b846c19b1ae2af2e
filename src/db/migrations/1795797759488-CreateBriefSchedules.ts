import { MigrationInterface, QueryRunner } from "typeorm";

export class CreateBriefSchedules1795797759488 implements MigrationInterface {
    name = 'CreateBriefSchedules1795797759488'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TYPE "public"."brief_format" AS ENUM('MARKDOWN', 'HTML', 'JSON')`);
        await queryRunner.query(`CREATE TABLE "brief_definition" ("id" uuid NOT NULL, "name" text NOT NULL, "input" jsonb NOT NULL, "marking" "public"."tlp_marking" NOT NULL, "cron" text NOT NULL, "time_zone" text NOT NULL, "formats" "public"."brief_format" array NOT NULL, "paused" boolean NOT NULL DEFAULT false, "next_run_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "brief_definition_name" UNIQUE ("name", "marking"), CONSTRAINT "PK_3593180dffdca7fcd4fcaeba620" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "brief_definition_due" ON "brief_definition"  ("next_run_at") WHERE NOT paused`);
        await queryRunner.query(`CREATE TYPE "public"."brief_run_status" AS ENUM('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'MISSED')`);
        await queryRunner.query(`CREATE TABLE "brief_run" ("id" uuid NOT NULL, "definition_id" uuid NOT NULL, "input" jsonb, "scheduled_for" TIMESTAMP WITH TIME ZONE NOT NULL, "status" "public"."brief_run_status" NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE, "finished_at" TIMESTAMP WITH TIME ZONE, "marking" "public"."tlp_marking" NOT NULL DEFAULT 'CLEAR', "content_hash" text, "markdown" text, "html" text, "brief" jsonb, "contents" jsonb, "attempt" uuid, "snapshot" jsonb, "delta" jsonb, "error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "brief_run_once" UNIQUE ("definition_id", "scheduled_for"), CONSTRAINT "PK_3389782a969f9d3e7850167e9b9" PRIMARY KEY ("id"))`);
        await queryRunner.query(`ALTER TABLE "brief_run" ADD CONSTRAINT "FK_5e3aade38bfef571afc9514d865" FOREIGN KEY ("definition_id") REFERENCES "brief_definition"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "brief_run" DROP CONSTRAINT "FK_5e3aade38bfef571afc9514d865"`);
        await queryRunner.query(`DROP TABLE "brief_run"`);
        await queryRunner.query(`DROP TYPE "public"."brief_run_status"`);
        await queryRunner.query(`DROP INDEX "public"."brief_definition_due"`);
        await queryRunner.query(`DROP TABLE "brief_definition"`);
        await queryRunner.query(`DROP TYPE "public"."brief_format"`);
    }

}
