// Brief definitions get retention limits (runs beyond them are pruned after each run), and identities a REPORTER role.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class RunRetentionAndReporter1796270000000 implements MigrationInterface {
  name = 'RunRetentionAndReporter1796270000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "brief_definition" ADD "keep_runs" integer`);
    await queryRunner.query(`ALTER TABLE "brief_definition" ADD "keep_days" integer`);
    await queryRunner.query(`ALTER TYPE "public"."role" ADD VALUE 'REPORTER'`);
    await queryRunner.query(`ALTER TABLE "brief_definition" ADD CONSTRAINT "brief_definition_keep_days_range" CHECK (keep_days BETWEEN 1 AND 3660)`);
    await queryRunner.query(`ALTER TABLE "brief_definition" ADD CONSTRAINT "brief_definition_keep_runs_range" CHECK (keep_runs BETWEEN 1 AND 10000)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "brief_definition" DROP CONSTRAINT "brief_definition_keep_runs_range"`);
    await queryRunner.query(`ALTER TABLE "brief_definition" DROP CONSTRAINT "brief_definition_keep_days_range"`);
    // Without the role, its keys keep what it builds on.
    await queryRunner.query(`UPDATE "api_key" SET "role" = 'ANALYST' WHERE "role" = 'REPORTER'`);
    await queryRunner.query(`CREATE TYPE "public"."role_old" AS ENUM('VIEWER', 'ANALYST', 'ADMIN', 'RELEASER')`);
    await queryRunner.query(`ALTER TABLE "api_key" ALTER COLUMN "role" TYPE "public"."role_old" USING "role"::"text"::"public"."role_old"`);
    await queryRunner.query(`DROP TYPE "public"."role"`);
    await queryRunner.query(`ALTER TYPE "public"."role_old" RENAME TO "role"`);
    await queryRunner.query(`ALTER TABLE "brief_definition" DROP COLUMN "keep_days"`);
    await queryRunner.query(`ALTER TABLE "brief_definition" DROP COLUMN "keep_runs"`);
  }
}
