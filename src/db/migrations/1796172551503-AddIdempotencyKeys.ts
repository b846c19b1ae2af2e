import { MigrationInterface, QueryRunner } from "typeorm";

export class AddIdempotencyKeys1796172551503 implements MigrationInterface {
    name = 'AddIdempotencyKeys1796172551503'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "idempotency_key" ("principal" text NOT NULL, "key" text NOT NULL, "field" text NOT NULL, "request_hash" text NOT NULL, "outcome" jsonb, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a4415a47b4580fce9efb6e30d69" PRIMARY KEY ("principal", "key", "field"))`);
        await queryRunner.query(`CREATE INDEX "idempotency_key_expiry" ON "idempotency_key"  ("created_at") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."idempotency_key_expiry"`);
        await queryRunner.query(`DROP TABLE "idempotency_key"`);
    }

}
