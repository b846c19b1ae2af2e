import { MigrationInterface, QueryRunner } from "typeorm";

export class RicherStatements1796198106304 implements MigrationInterface {
    name = 'RicherStatements1796198106304'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "citation" ADD "url" text`);
        await queryRunner.query(`ALTER TABLE "citation" ADD "page" text`);
        await queryRunner.query(`ALTER TABLE "citation" ADD "paragraph" text`);
        await queryRunner.query(`ALTER TABLE "citation" ADD "accessed_on" date`);
        await queryRunner.query(`ALTER TABLE "event" ADD "quantity_exact" boolean NOT NULL DEFAULT false`);
        await queryRunner.query(`ALTER TABLE "capability" ADD "quantity_exact" boolean NOT NULL DEFAULT false`);
        await queryRunner.query(`ALTER TABLE "challenge" ADD "quantity_exact" boolean NOT NULL DEFAULT false`);
        await queryRunner.query(`ALTER TABLE "implication" ADD "as_of" date`);
        await queryRunner.query(`ALTER TABLE "implication" ADD "quantity_low" double precision`);
        await queryRunner.query(`ALTER TABLE "implication" ADD "quantity_best" double precision`);
        await queryRunner.query(`ALTER TABLE "implication" ADD "quantity_high" double precision`);
        await queryRunner.query(`ALTER TABLE "implication" ADD "quantity_unit" text`);
        await queryRunner.query(`ALTER TABLE "implication" ADD "quantity_as_stated" text`);
        await queryRunner.query(`ALTER TABLE "implication" ADD "quantity_exact" boolean NOT NULL DEFAULT false`);
        await queryRunner.query(`ALTER TABLE "citation" ALTER COLUMN "quote" DROP NOT NULL`);
        await queryRunner.query(`ALTER TABLE "implication" ALTER COLUMN "confidence" DROP NOT NULL`);
        await queryRunner.query(`ALTER TABLE "implication" ALTER COLUMN "scope" DROP NOT NULL`);
        await queryRunner.query(`ALTER TABLE "implication" ALTER COLUMN "horizon" DROP NOT NULL`);
        await queryRunner.query(`CREATE INDEX "IDX_92cd3d1ed93d1e90efff83a7fc" ON "implication"  ("as_of") `);
        await queryRunner.query(`ALTER TABLE "citation" ADD CONSTRAINT "citation_points_somewhere" CHECK (num_nonnulls(quote, url, page, paragraph, accessed_on) > 0)`);
        await queryRunner.query(`ALTER TABLE "citation" ADD CONSTRAINT "citation_url_format" CHECK (url ~ '^https?://[^\\s<>]+$')`);
        await queryRunner.query(`ALTER TABLE "citation" ADD CONSTRAINT "paragraph_not_blank" CHECK (paragraph ~ '^\\S(.*\\S)?$')`);
        await queryRunner.query(`ALTER TABLE "citation" ADD CONSTRAINT "page_not_blank" CHECK (page ~ '^\\S(.*\\S)?$')`);
        await queryRunner.query(`ALTER TABLE "event" ADD CONSTRAINT "quantity_exact_one_value" CHECK (NOT quantity_exact OR (quantity_best IS NOT NULL AND coalesce(quantity_low, quantity_best) = quantity_best AND coalesce(quantity_high, quantity_best) = quantity_best))`);
        await queryRunner.query(`ALTER TABLE "capability" ADD CONSTRAINT "quantity_exact_one_value" CHECK (NOT quantity_exact OR (quantity_best IS NOT NULL AND coalesce(quantity_low, quantity_best) = quantity_best AND coalesce(quantity_high, quantity_best) = quantity_best))`);
        await queryRunner.query(`ALTER TABLE "challenge" ADD CONSTRAINT "quantity_exact_one_value" CHECK (NOT quantity_exact OR (quantity_best IS NOT NULL AND coalesce(quantity_low, quantity_best) = quantity_best AND coalesce(quantity_high, quantity_best) = quantity_best))`);
        await queryRunner.query(`ALTER TABLE "implication" ADD CONSTRAINT "quantity_exact_one_value" CHECK (NOT quantity_exact OR (quantity_best IS NOT NULL AND coalesce(quantity_low, quantity_best) = quantity_best AND coalesce(quantity_high, quantity_best) = quantity_best))`);
        await queryRunner.query(`ALTER TABLE "implication" ADD CONSTRAINT "quantity_has_value" CHECK (num_nonnulls(quantity_unit, quantity_as_stated) = 0 OR num_nonnulls(quantity_low, quantity_best, quantity_high) > 0)`);
        await queryRunner.query(`ALTER TABLE "implication" ADD CONSTRAINT "quantity_ordered" CHECK (quantity_low <= quantity_best AND quantity_best <= quantity_high AND quantity_low <= quantity_high)`);
    }

    // Refused while a judgment lacks a confidence, scope or horizon, or a citation a quote: nothing is invented to go back.
    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "implication" DROP CONSTRAINT "quantity_ordered"`);
        await queryRunner.query(`ALTER TABLE "implication" DROP CONSTRAINT "quantity_has_value"`);
        await queryRunner.query(`ALTER TABLE "implication" DROP CONSTRAINT "quantity_exact_one_value"`);
        await queryRunner.query(`ALTER TABLE "challenge" DROP CONSTRAINT "quantity_exact_one_value"`);
        await queryRunner.query(`ALTER TABLE "capability" DROP CONSTRAINT "quantity_exact_one_value"`);
        await queryRunner.query(`ALTER TABLE "event" DROP CONSTRAINT "quantity_exact_one_value"`);
        await queryRunner.query(`ALTER TABLE "citation" DROP CONSTRAINT "page_not_blank"`);
        await queryRunner.query(`ALTER TABLE "citation" DROP CONSTRAINT "paragraph_not_blank"`);
        await queryRunner.query(`ALTER TABLE "citation" DROP CONSTRAINT "citation_url_format"`);
        await queryRunner.query(`ALTER TABLE "citation" DROP CONSTRAINT "citation_points_somewhere"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_92cd3d1ed93d1e90efff83a7fc"`);
        await queryRunner.query(`ALTER TABLE "implication" ALTER COLUMN "horizon" SET NOT NULL`);
        await queryRunner.query(`ALTER TABLE "implication" ALTER COLUMN "scope" SET NOT NULL`);
        await queryRunner.query(`ALTER TABLE "implication" ALTER COLUMN "confidence" SET NOT NULL`);
        await queryRunner.query(`ALTER TABLE "citation" ALTER COLUMN "quote" SET NOT NULL`);
        await queryRunner.query(`ALTER TABLE "implication" DROP COLUMN "quantity_exact"`);
        await queryRunner.query(`ALTER TABLE "implication" DROP COLUMN "quantity_as_stated"`);
        await queryRunner.query(`ALTER TABLE "implication" DROP COLUMN "quantity_unit"`);
        await queryRunner.query(`ALTER TABLE "implication" DROP COLUMN "quantity_high"`);
        await queryRunner.query(`ALTER TABLE "implication" DROP COLUMN "quantity_best"`);
        await queryRunner.query(`ALTER TABLE "implication" DROP COLUMN "quantity_low"`);
        await queryRunner.query(`ALTER TABLE "implication" DROP COLUMN "as_of"`);
        await queryRunner.query(`ALTER TABLE "challenge" DROP COLUMN "quantity_exact"`);
        await queryRunner.query(`ALTER TABLE "capability" DROP COLUMN "quantity_exact"`);
        await queryRunner.query(`ALTER TABLE "event" DROP COLUMN "quantity_exact"`);
        await queryRunner.query(`ALTER TABLE "citation" DROP COLUMN "accessed_on"`);
        await queryRunner.query(`ALTER TABLE "citation" DROP COLUMN "paragraph"`);
        await queryRunner.query(`ALTER TABLE "citation" DROP COLUMN "page"`);
        await queryRunner.query(`ALTER TABLE "citation" DROP COLUMN "url"`);
    }

}
