import { MigrationInterface, QueryRunner } from "typeorm";

export class AddIdentitiesAndAudiences1795800187641 implements MigrationInterface {
    name = 'AddIdentitiesAndAudiences1795800187641'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "brief_definition" DROP CONSTRAINT "brief_definition_name"`);
        await queryRunner.query(`CREATE TYPE "public"."role" AS ENUM('VIEWER', 'ANALYST', 'ADMIN')`);
        await queryRunner.query(`CREATE TABLE "api_key" ("id" uuid NOT NULL, "name" text NOT NULL, "principal" text NOT NULL, "prefix" text NOT NULL, "hash" text NOT NULL, "role" "public"."role" NOT NULL, "clearance" "public"."tlp_marking" NOT NULL, "organisation" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_8d7efb4fb2f2acdbcf8974cc34d" UNIQUE ("principal"), CONSTRAINT "UQ_45e0aa2a880b928326a05a28885" UNIQUE ("hash"), CONSTRAINT "PK_b1bd840641b8acbaad89c3d8d11" PRIMARY KEY ("id"))`);
        await queryRunner.query(`ALTER TABLE "actor" ADD "organisation" text`);
        await queryRunner.query(`ALTER TABLE "actor" ADD "audience" text array NOT NULL DEFAULT '{}'`);
        await queryRunner.query(`ALTER TABLE "brief_definition" ADD "owner_principal" text NOT NULL`);
        await queryRunner.query(`ALTER TABLE "brief_definition" ADD "organisation" text`);
        await queryRunner.query(`ALTER TABLE "brief_definition" ADD "audience" text array NOT NULL DEFAULT '{}'`);
        await queryRunner.query(`ALTER TABLE "topic" ADD "organisation" text`);
        await queryRunner.query(`ALTER TABLE "topic" ADD "audience" text array NOT NULL DEFAULT '{}'`);
        await queryRunner.query(`ALTER TABLE "source" ADD "organisation" text`);
        await queryRunner.query(`ALTER TABLE "source" ADD "audience" text array NOT NULL DEFAULT '{}'`);
        await queryRunner.query(`ALTER TABLE "citation" ADD "organisation" text`);
        await queryRunner.query(`ALTER TABLE "citation" ADD "audience" text array NOT NULL DEFAULT '{}'`);
        await queryRunner.query(`ALTER TABLE "location" ADD "organisation" text`);
        await queryRunner.query(`ALTER TABLE "location" ADD "audience" text array NOT NULL DEFAULT '{}'`);
        await queryRunner.query(`ALTER TABLE "event" ADD "organisation" text`);
        await queryRunner.query(`ALTER TABLE "event" ADD "audience" text array NOT NULL DEFAULT '{}'`);
        await queryRunner.query(`ALTER TABLE "brief_run" ADD "organisation" text`);
        await queryRunner.query(`ALTER TABLE "brief_run" ADD "audience" text array NOT NULL DEFAULT '{}'`);
        await queryRunner.query(`ALTER TABLE "capability" ADD "organisation" text`);
        await queryRunner.query(`ALTER TABLE "capability" ADD "audience" text array NOT NULL DEFAULT '{}'`);
        await queryRunner.query(`ALTER TABLE "challenge" ADD "organisation" text`);
        await queryRunner.query(`ALTER TABLE "challenge" ADD "audience" text array NOT NULL DEFAULT '{}'`);
        await queryRunner.query(`ALTER TABLE "implication" ADD "organisation" text`);
        await queryRunner.query(`ALTER TABLE "implication" ADD "audience" text array NOT NULL DEFAULT '{}'`);
        await queryRunner.query(`ALTER TABLE "actor_relation" ADD "organisation" text`);
        await queryRunner.query(`ALTER TABLE "actor_relation" ADD "audience" text array NOT NULL DEFAULT '{}'`);
        await queryRunner.query(`ALTER TABLE "actor" ADD CONSTRAINT "item_access_decidable" CHECK ((marking <> 'AMBER_STRICT' OR organisation IS NOT NULL) AND (marking <> 'RED' OR cardinality(audience) > 0))`);
        await queryRunner.query(`ALTER TABLE "topic" ADD CONSTRAINT "item_access_decidable" CHECK ((marking <> 'AMBER_STRICT' OR organisation IS NOT NULL) AND (marking <> 'RED' OR cardinality(audience) > 0))`);
        await queryRunner.query(`ALTER TABLE "source" ADD CONSTRAINT "item_access_decidable" CHECK ((marking <> 'AMBER_STRICT' OR organisation IS NOT NULL) AND (marking <> 'RED' OR cardinality(audience) > 0))`);
        await queryRunner.query(`ALTER TABLE "citation" ADD CONSTRAINT "item_access_decidable" CHECK ((marking <> 'AMBER_STRICT' OR organisation IS NOT NULL) AND (marking <> 'RED' OR cardinality(audience) > 0))`);
        await queryRunner.query(`ALTER TABLE "location" ADD CONSTRAINT "item_access_decidable" CHECK ((marking <> 'AMBER_STRICT' OR organisation IS NOT NULL) AND (marking <> 'RED' OR cardinality(audience) > 0))`);
        await queryRunner.query(`ALTER TABLE "event" ADD CONSTRAINT "item_access_decidable" CHECK ((marking <> 'AMBER_STRICT' OR organisation IS NOT NULL) AND (marking <> 'RED' OR cardinality(audience) > 0))`);
        await queryRunner.query(`ALTER TABLE "capability" ADD CONSTRAINT "item_access_decidable" CHECK ((marking <> 'AMBER_STRICT' OR organisation IS NOT NULL) AND (marking <> 'RED' OR cardinality(audience) > 0))`);
        await queryRunner.query(`ALTER TABLE "challenge" ADD CONSTRAINT "item_access_decidable" CHECK ((marking <> 'AMBER_STRICT' OR organisation IS NOT NULL) AND (marking <> 'RED' OR cardinality(audience) > 0))`);
        await queryRunner.query(`ALTER TABLE "implication" ADD CONSTRAINT "item_access_decidable" CHECK ((marking <> 'AMBER_STRICT' OR organisation IS NOT NULL) AND (marking <> 'RED' OR cardinality(audience) > 0))`);
        await queryRunner.query(`ALTER TABLE "actor_relation" ADD CONSTRAINT "item_access_decidable" CHECK ((marking <> 'AMBER_STRICT' OR organisation IS NOT NULL) AND (marking <> 'RED' OR cardinality(audience) > 0))`);
        await queryRunner.query(`ALTER TABLE "brief_definition" ADD CONSTRAINT "brief_definition_owner_name" UNIQUE ("owner_principal", "name")`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "brief_definition" DROP CONSTRAINT "brief_definition_owner_name"`);
        await queryRunner.query(`ALTER TABLE "actor_relation" DROP CONSTRAINT "item_access_decidable"`);
        await queryRunner.query(`ALTER TABLE "implication" DROP CONSTRAINT "item_access_decidable"`);
        await queryRunner.query(`ALTER TABLE "challenge" DROP CONSTRAINT "item_access_decidable"`);
        await queryRunner.query(`ALTER TABLE "capability" DROP CONSTRAINT "item_access_decidable"`);
        await queryRunner.query(`ALTER TABLE "event" DROP CONSTRAINT "item_access_decidable"`);
        await queryRunner.query(`ALTER TABLE "location" DROP CONSTRAINT "item_access_decidable"`);
        await queryRunner.query(`ALTER TABLE "citation" DROP CONSTRAINT "item_access_decidable"`);
        await queryRunner.query(`ALTER TABLE "source" DROP CONSTRAINT "item_access_decidable"`);
        await queryRunner.query(`ALTER TABLE "topic" DROP CONSTRAINT "item_access_decidable"`);
        await queryRunner.query(`ALTER TABLE "actor" DROP CONSTRAINT "item_access_decidable"`);
        await queryRunner.query(`ALTER TABLE "actor_relation" DROP COLUMN "audience"`);
        await queryRunner.query(`ALTER TABLE "actor_relation" DROP COLUMN "organisation"`);
        await queryRunner.query(`ALTER TABLE "implication" DROP COLUMN "audience"`);
        await queryRunner.query(`ALTER TABLE "implication" DROP COLUMN "organisation"`);
        await queryRunner.query(`ALTER TABLE "challenge" DROP COLUMN "audience"`);
        await queryRunner.query(`ALTER TABLE "challenge" DROP COLUMN "organisation"`);
        await queryRunner.query(`ALTER TABLE "capability" DROP COLUMN "audience"`);
        await queryRunner.query(`ALTER TABLE "capability" DROP COLUMN "organisation"`);
        await queryRunner.query(`ALTER TABLE "brief_run" DROP COLUMN "audience"`);
        await queryRunner.query(`ALTER TABLE "brief_run" DROP COLUMN "organisation"`);
        await queryRunner.query(`ALTER TABLE "event" DROP COLUMN "audience"`);
        await queryRunner.query(`ALTER TABLE "event" DROP COLUMN "organisation"`);
        await queryRunner.query(`ALTER TABLE "location" DROP COLUMN "audience"`);
        await queryRunner.query(`ALTER TABLE "location" DROP COLUMN "organisation"`);
        await queryRunner.query(`ALTER TABLE "citation" DROP COLUMN "audience"`);
        await queryRunner.query(`ALTER TABLE "citation" DROP COLUMN "organisation"`);
        await queryRunner.query(`ALTER TABLE "source" DROP COLUMN "audience"`);
        await queryRunner.query(`ALTER TABLE "source" DROP COLUMN "organisation"`);
        await queryRunner.query(`ALTER TABLE "topic" DROP COLUMN "audience"`);
        await queryRunner.query(`ALTER TABLE "topic" DROP COLUMN "organisation"`);
        await queryRunner.query(`ALTER TABLE "brief_definition" DROP COLUMN "audience"`);
        await queryRunner.query(`ALTER TABLE "brief_definition" DROP COLUMN "organisation"`);
        await queryRunner.query(`ALTER TABLE "brief_definition" DROP COLUMN "owner_principal"`);
        await queryRunner.query(`ALTER TABLE "actor" DROP COLUMN "audience"`);
        await queryRunner.query(`ALTER TABLE "actor" DROP COLUMN "organisation"`);
        await queryRunner.query(`DROP TABLE "api_key"`);
        await queryRunner.query(`DROP TYPE "public"."role"`);
        await queryRunner.query(`ALTER TABLE "brief_definition" ADD CONSTRAINT "brief_definition_name" UNIQUE ("name", "marking")`);
    }

}
