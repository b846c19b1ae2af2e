import { MigrationInterface, QueryRunner } from "typeorm";

// Every table of marked items: a deleted row leaves who could read it in deleted_item.
const ITEM_TABLES = ['topic', 'actor', 'location', 'source', 'citation', 'capability', 'challenge', 'implication', 'event', 'actor_relation'];

export class RecordDeletedItems1796174254517 implements MigrationInterface {
    name = 'RecordDeletedItems1796174254517'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "deleted_item" ("id" uuid NOT NULL, "item_table" text NOT NULL, "marking" "public"."tlp_marking" NOT NULL, "organisation" text, "audience" text array NOT NULL, "deleted_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_5e22a7faae28e3c07157d3ab71b" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE FUNCTION record_deleted_item() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO deleted_item (id, item_table, marking, organisation, audience)
                VALUES (OLD.id, TG_TABLE_NAME, OLD.marking, OLD.organisation, OLD.audience)
                ON CONFLICT (id) DO UPDATE SET item_table = EXCLUDED.item_table, marking = EXCLUDED.marking,
                    organisation = EXCLUDED.organisation, audience = EXCLUDED.audience, deleted_at = now();
                RETURN OLD;
            END $$`);
        for (const table of ITEM_TABLES) {
            await queryRunner.query(`CREATE TRIGGER record_deleted_item AFTER DELETE ON "${table}" FOR EACH ROW EXECUTE FUNCTION record_deleted_item()`);
        }
        // Rows whose readers could not be decided become their owner's alone, before the constraint holds them to it.
        await queryRunner.query(`UPDATE "brief_definition" SET marking = 'RED', audience = ARRAY[owner_principal]
            WHERE (marking = 'AMBER_STRICT' AND organisation IS NULL) OR (marking = 'RED' AND cardinality(audience) = 0)`);
        await queryRunner.query(`UPDATE "brief_run" r SET marking = 'RED', audience = ARRAY[d.owner_principal] FROM "brief_definition" d
            WHERE d.id = r.definition_id AND ((r.marking = 'AMBER_STRICT' AND r.organisation IS NULL) OR (r.marking = 'RED' AND cardinality(r.audience) = 0))`);
        await queryRunner.query(`ALTER TABLE "brief_definition" ADD CONSTRAINT "item_access_decidable" CHECK ((marking <> 'AMBER_STRICT' OR organisation IS NOT NULL) AND (marking <> 'RED' OR cardinality(audience) > 0))`);
        await queryRunner.query(`ALTER TABLE "brief_run" ADD CONSTRAINT "item_access_decidable" CHECK ((marking <> 'AMBER_STRICT' OR organisation IS NOT NULL) AND (marking <> 'RED' OR cardinality(audience) > 0))`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "brief_run" DROP CONSTRAINT "item_access_decidable"`);
        await queryRunner.query(`ALTER TABLE "brief_definition" DROP CONSTRAINT "item_access_decidable"`);
        for (const table of ITEM_TABLES) await queryRunner.query(`DROP TRIGGER record_deleted_item ON "${table}"`);
        await queryRunner.query(`DROP FUNCTION record_deleted_item()`);
        await queryRunner.query(`DROP TABLE "deleted_item"`);
    }

}
