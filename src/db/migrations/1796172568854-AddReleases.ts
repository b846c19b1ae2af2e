import { MigrationInterface, QueryRunner } from "typeorm";

export class AddReleases1796172568854 implements MigrationInterface {
    name = 'AddReleases1796172568854'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "release" ("id" uuid NOT NULL, "item_table" text NOT NULL, "item_id" uuid NOT NULL, "from_marking" "public"."tlp_marking" NOT NULL, "to_marking" "public"."tlp_marking" NOT NULL, "from_organisation" text, "to_organisation" text, "from_audience" text array NOT NULL, "to_audience" text array NOT NULL, "reason" text NOT NULL, "released_by" text NOT NULL, "released_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_1a2253436964eea9c558f9464f4" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_95f2d5bdac83e53f6cf5d5a2c5" ON "release"  ("item_id") `);
        await queryRunner.query(`ALTER TYPE "public"."role" ADD VALUE 'RELEASER'`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TYPE "public"."role_old" AS ENUM('VIEWER', 'ANALYST', 'ADMIN')`);
        await queryRunner.query(`ALTER TABLE "api_key" ALTER COLUMN "role" TYPE "public"."role_old" USING "role"::"text"::"public"."role_old"`);
        await queryRunner.query(`DROP TYPE "public"."role"`);
        await queryRunner.query(`ALTER TYPE "public"."role_old" RENAME TO "role"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_95f2d5bdac83e53f6cf5d5a2c5"`);
        await queryRunner.query(`DROP TABLE "release"`);
    }

}
