import { MigrationInterface, QueryRunner } from "typeorm";

// Every table of marked items: each row has a version, kept by the database so that every path (the API, imports,
// fixture loads, raw SQL) counts its changes alike.
const ITEM_TABLES = ['topic', 'actor', 'location', 'source', 'citation', 'capability', 'challenge', 'implication', 'event', 'actor_relation'];

export class AddVersionsAndRetraction1796201647800 implements MigrationInterface {
    name = 'AddVersionsAndRetraction1796201647800'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "actor_external_id" ("scheme" text NOT NULL, "value" text NOT NULL, "actor_id" uuid NOT NULL, CONSTRAINT "actor_external_id_taken" PRIMARY KEY ("scheme", "value"))`);
        await queryRunner.query(`CREATE INDEX "IDX_64717ed8f70e8769fde41c748b" ON "actor_external_id"  ("actor_id") `);
        await queryRunner.query(`ALTER TABLE "actor" ADD "version" integer NOT NULL DEFAULT '1'`);
        await queryRunner.query(`ALTER TABLE "actor" ADD "retracted_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "actor" ADD "retraction_reason" text`);
        await queryRunner.query(`ALTER TABLE "actor" ADD "superseded_by_id" uuid`);
        await queryRunner.query(`ALTER TABLE "actor" ADD "external_ids" jsonb NOT NULL DEFAULT '[]'`);
        await queryRunner.query(`ALTER TABLE "topic" ADD "version" integer NOT NULL DEFAULT '1'`);
        await queryRunner.query(`ALTER TABLE "topic" ADD "retracted_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "topic" ADD "retraction_reason" text`);
        await queryRunner.query(`ALTER TABLE "topic" ADD "superseded_by_id" uuid`);
        await queryRunner.query(`ALTER TABLE "source" ADD "version" integer NOT NULL DEFAULT '1'`);
        await queryRunner.query(`ALTER TABLE "source" ADD "retracted_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "source" ADD "retraction_reason" text`);
        await queryRunner.query(`ALTER TABLE "source" ADD "superseded_by_id" uuid`);
        await queryRunner.query(`ALTER TABLE "citation" ADD "version" integer NOT NULL DEFAULT '1'`);
        await queryRunner.query(`ALTER TABLE "citation" ADD "retracted_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "citation" ADD "retraction_reason" text`);
        await queryRunner.query(`ALTER TABLE "citation" ADD "superseded_by_id" uuid`);
        await queryRunner.query(`ALTER TABLE "location" ADD "version" integer NOT NULL DEFAULT '1'`);
        await queryRunner.query(`ALTER TABLE "location" ADD "retracted_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "location" ADD "retraction_reason" text`);
        await queryRunner.query(`ALTER TABLE "location" ADD "superseded_by_id" uuid`);
        await queryRunner.query(`ALTER TABLE "event" ADD "version" integer NOT NULL DEFAULT '1'`);
        await queryRunner.query(`ALTER TABLE "event" ADD "retracted_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "event" ADD "retraction_reason" text`);
        await queryRunner.query(`ALTER TABLE "event" ADD "superseded_by_id" uuid`);
        await queryRunner.query(`ALTER TABLE "capability" ADD "version" integer NOT NULL DEFAULT '1'`);
        await queryRunner.query(`ALTER TABLE "capability" ADD "retracted_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "capability" ADD "retraction_reason" text`);
        await queryRunner.query(`ALTER TABLE "capability" ADD "superseded_by_id" uuid`);
        await queryRunner.query(`ALTER TABLE "challenge" ADD "version" integer NOT NULL DEFAULT '1'`);
        await queryRunner.query(`ALTER TABLE "challenge" ADD "retracted_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "challenge" ADD "retraction_reason" text`);
        await queryRunner.query(`ALTER TABLE "challenge" ADD "superseded_by_id" uuid`);
        await queryRunner.query(`ALTER TABLE "implication" ADD "version" integer NOT NULL DEFAULT '1'`);
        await queryRunner.query(`ALTER TABLE "implication" ADD "retracted_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "implication" ADD "retraction_reason" text`);
        await queryRunner.query(`ALTER TABLE "implication" ADD "superseded_by_id" uuid`);
        await queryRunner.query(`ALTER TABLE "actor_relation" ADD "version" integer NOT NULL DEFAULT '1'`);
        await queryRunner.query(`ALTER TABLE "actor_relation" ADD "retracted_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "actor_relation" ADD "retraction_reason" text`);
        await queryRunner.query(`ALTER TABLE "actor_relation" ADD "superseded_by_id" uuid`);
        await queryRunner.query(`ALTER TABLE "actor" ADD CONSTRAINT "not_superseded_by_itself" CHECK (superseded_by_id <> id)`);
        await queryRunner.query(`ALTER TABLE "actor" ADD CONSTRAINT "retraction_explained" CHECK ((retracted_at IS NULL AND retraction_reason IS NULL AND superseded_by_id IS NULL) OR (retracted_at IS NOT NULL AND retraction_reason ~ '^\\S(.*\\S)?$'))`);
        await queryRunner.query(`ALTER TABLE "topic" ADD CONSTRAINT "not_superseded_by_itself" CHECK (superseded_by_id <> id)`);
        await queryRunner.query(`ALTER TABLE "topic" ADD CONSTRAINT "retraction_explained" CHECK ((retracted_at IS NULL AND retraction_reason IS NULL AND superseded_by_id IS NULL) OR (retracted_at IS NOT NULL AND retraction_reason ~ '^\\S(.*\\S)?$'))`);
        await queryRunner.query(`ALTER TABLE "source" ADD CONSTRAINT "not_superseded_by_itself" CHECK (superseded_by_id <> id)`);
        await queryRunner.query(`ALTER TABLE "source" ADD CONSTRAINT "retraction_explained" CHECK ((retracted_at IS NULL AND retraction_reason IS NULL AND superseded_by_id IS NULL) OR (retracted_at IS NOT NULL AND retraction_reason ~ '^\\S(.*\\S)?$'))`);
        await queryRunner.query(`ALTER TABLE "citation" ADD CONSTRAINT "not_superseded_by_itself" CHECK (superseded_by_id <> id)`);
        await queryRunner.query(`ALTER TABLE "citation" ADD CONSTRAINT "retraction_explained" CHECK ((retracted_at IS NULL AND retraction_reason IS NULL AND superseded_by_id IS NULL) OR (retracted_at IS NOT NULL AND retraction_reason ~ '^\\S(.*\\S)?$'))`);
        await queryRunner.query(`ALTER TABLE "location" ADD CONSTRAINT "not_superseded_by_itself" CHECK (superseded_by_id <> id)`);
        await queryRunner.query(`ALTER TABLE "location" ADD CONSTRAINT "retraction_explained" CHECK ((retracted_at IS NULL AND retraction_reason IS NULL AND superseded_by_id IS NULL) OR (retracted_at IS NOT NULL AND retraction_reason ~ '^\\S(.*\\S)?$'))`);
        await queryRunner.query(`ALTER TABLE "event" ADD CONSTRAINT "not_superseded_by_itself" CHECK (superseded_by_id <> id)`);
        await queryRunner.query(`ALTER TABLE "event" ADD CONSTRAINT "retraction_explained" CHECK ((retracted_at IS NULL AND retraction_reason IS NULL AND superseded_by_id IS NULL) OR (retracted_at IS NOT NULL AND retraction_reason ~ '^\\S(.*\\S)?$'))`);
        await queryRunner.query(`ALTER TABLE "capability" ADD CONSTRAINT "not_superseded_by_itself" CHECK (superseded_by_id <> id)`);
        await queryRunner.query(`ALTER TABLE "capability" ADD CONSTRAINT "retraction_explained" CHECK ((retracted_at IS NULL AND retraction_reason IS NULL AND superseded_by_id IS NULL) OR (retracted_at IS NOT NULL AND retraction_reason ~ '^\\S(.*\\S)?$'))`);
        await queryRunner.query(`ALTER TABLE "challenge" ADD CONSTRAINT "not_superseded_by_itself" CHECK (superseded_by_id <> id)`);
        await queryRunner.query(`ALTER TABLE "challenge" ADD CONSTRAINT "retraction_explained" CHECK ((retracted_at IS NULL AND retraction_reason IS NULL AND superseded_by_id IS NULL) OR (retracted_at IS NOT NULL AND retraction_reason ~ '^\\S(.*\\S)?$'))`);
        await queryRunner.query(`ALTER TABLE "implication" ADD CONSTRAINT "not_superseded_by_itself" CHECK (superseded_by_id <> id)`);
        await queryRunner.query(`ALTER TABLE "implication" ADD CONSTRAINT "retraction_explained" CHECK ((retracted_at IS NULL AND retraction_reason IS NULL AND superseded_by_id IS NULL) OR (retracted_at IS NOT NULL AND retraction_reason ~ '^\\S(.*\\S)?$'))`);
        await queryRunner.query(`ALTER TABLE "actor_relation" ADD CONSTRAINT "not_superseded_by_itself" CHECK (superseded_by_id <> id)`);
        await queryRunner.query(`ALTER TABLE "actor_relation" ADD CONSTRAINT "retraction_explained" CHECK ((retracted_at IS NULL AND retraction_reason IS NULL AND superseded_by_id IS NULL) OR (retracted_at IS NOT NULL AND retraction_reason ~ '^\\S(.*\\S)?$'))`);
        await queryRunner.query(`ALTER TABLE "actor" ADD CONSTRAINT "FK_418a881aafa6daa5433bc845ef2" FOREIGN KEY ("superseded_by_id") REFERENCES "actor"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "actor_external_id" ADD CONSTRAINT "FK_64717ed8f70e8769fde41c748b7" FOREIGN KEY ("actor_id") REFERENCES "actor"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "topic" ADD CONSTRAINT "FK_3a25389087998facf7c493d221c" FOREIGN KEY ("superseded_by_id") REFERENCES "topic"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "source" ADD CONSTRAINT "FK_ee5bc44a432f1bddcdae50d2d07" FOREIGN KEY ("superseded_by_id") REFERENCES "source"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "citation" ADD CONSTRAINT "FK_ddb421ee533e1748fc370031bac" FOREIGN KEY ("superseded_by_id") REFERENCES "citation"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "location" ADD CONSTRAINT "FK_c6fd89a4a777ca0586ac3c02d38" FOREIGN KEY ("superseded_by_id") REFERENCES "location"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "event" ADD CONSTRAINT "FK_528f0bc3842a919865036c63db4" FOREIGN KEY ("superseded_by_id") REFERENCES "event"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "capability" ADD CONSTRAINT "FK_64f4e515b0247b1aeb5d28c5e9d" FOREIGN KEY ("superseded_by_id") REFERENCES "capability"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "challenge" ADD CONSTRAINT "FK_edf43645bddbefac487a7c5aef4" FOREIGN KEY ("superseded_by_id") REFERENCES "challenge"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "implication" ADD CONSTRAINT "FK_9b74467910715664376478583bc" FOREIGN KEY ("superseded_by_id") REFERENCES "implication"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "actor_relation" ADD CONSTRAINT "FK_fd0e3d29065fbf414843f8ca5e7" FOREIGN KEY ("superseded_by_id") REFERENCES "actor_relation"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
        // One more on every update that changes the row (its version and timestamp aside), and on one that asks for it
        // with a higher version (a change held outside the row, such as its links); never a jump, never a step back.
        await queryRunner.query(`CREATE FUNCTION bump_item_version() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                NEW.version := OLD.version + CASE WHEN NEW.version > OLD.version
                    OR (to_jsonb(NEW) - '{version,updated_at}'::text[]) IS DISTINCT FROM (to_jsonb(OLD) - '{version,updated_at}'::text[])
                    THEN 1 ELSE 0 END;
                RETURN NEW;
            END $$`);
        for (const table of ITEM_TABLES) {
            await queryRunner.query(`CREATE TRIGGER bump_item_version BEFORE UPDATE ON "${table}" FOR EACH ROW EXECUTE FUNCTION bump_item_version()`);
        }
        // Which actor holds each identifier, kept from the actor's own list: the key of actor_external_id refuses a second holder.
        await queryRunner.query(`CREATE FUNCTION index_actor_external_ids() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                DELETE FROM actor_external_id WHERE actor_id = NEW.id;
                INSERT INTO actor_external_id (scheme, value, actor_id)
                    SELECT e->>'scheme', e->>'value', NEW.id FROM jsonb_array_elements(NEW.external_ids) e;
                RETURN NULL;
            END $$`);
        await queryRunner.query(`CREATE TRIGGER index_actor_external_ids AFTER INSERT OR UPDATE OF external_ids ON "actor" FOR EACH ROW EXECUTE FUNCTION index_actor_external_ids()`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TRIGGER index_actor_external_ids ON "actor"`);
        await queryRunner.query(`DROP FUNCTION index_actor_external_ids()`);
        for (const table of ITEM_TABLES) await queryRunner.query(`DROP TRIGGER bump_item_version ON "${table}"`);
        await queryRunner.query(`DROP FUNCTION bump_item_version()`);
        await queryRunner.query(`ALTER TABLE "actor_relation" DROP CONSTRAINT "FK_fd0e3d29065fbf414843f8ca5e7"`);
        await queryRunner.query(`ALTER TABLE "implication" DROP CONSTRAINT "FK_9b74467910715664376478583bc"`);
        await queryRunner.query(`ALTER TABLE "challenge" DROP CONSTRAINT "FK_edf43645bddbefac487a7c5aef4"`);
        await queryRunner.query(`ALTER TABLE "capability" DROP CONSTRAINT "FK_64f4e515b0247b1aeb5d28c5e9d"`);
        await queryRunner.query(`ALTER TABLE "event" DROP CONSTRAINT "FK_528f0bc3842a919865036c63db4"`);
        await queryRunner.query(`ALTER TABLE "location" DROP CONSTRAINT "FK_c6fd89a4a777ca0586ac3c02d38"`);
        await queryRunner.query(`ALTER TABLE "citation" DROP CONSTRAINT "FK_ddb421ee533e1748fc370031bac"`);
        await queryRunner.query(`ALTER TABLE "source" DROP CONSTRAINT "FK_ee5bc44a432f1bddcdae50d2d07"`);
        await queryRunner.query(`ALTER TABLE "topic" DROP CONSTRAINT "FK_3a25389087998facf7c493d221c"`);
        await queryRunner.query(`ALTER TABLE "actor_external_id" DROP CONSTRAINT "FK_64717ed8f70e8769fde41c748b7"`);
        await queryRunner.query(`ALTER TABLE "actor" DROP CONSTRAINT "FK_418a881aafa6daa5433bc845ef2"`);
        await queryRunner.query(`ALTER TABLE "actor_relation" DROP CONSTRAINT "retraction_explained"`);
        await queryRunner.query(`ALTER TABLE "actor_relation" DROP CONSTRAINT "not_superseded_by_itself"`);
        await queryRunner.query(`ALTER TABLE "implication" DROP CONSTRAINT "retraction_explained"`);
        await queryRunner.query(`ALTER TABLE "implication" DROP CONSTRAINT "not_superseded_by_itself"`);
        await queryRunner.query(`ALTER TABLE "challenge" DROP CONSTRAINT "retraction_explained"`);
        await queryRunner.query(`ALTER TABLE "challenge" DROP CONSTRAINT "not_superseded_by_itself"`);
        await queryRunner.query(`ALTER TABLE "capability" DROP CONSTRAINT "retraction_explained"`);
        await queryRunner.query(`ALTER TABLE "capability" DROP CONSTRAINT "not_superseded_by_itself"`);
        await queryRunner.query(`ALTER TABLE "event" DROP CONSTRAINT "retraction_explained"`);
        await queryRunner.query(`ALTER TABLE "event" DROP CONSTRAINT "not_superseded_by_itself"`);
        await queryRunner.query(`ALTER TABLE "location" DROP CONSTRAINT "retraction_explained"`);
        await queryRunner.query(`ALTER TABLE "location" DROP CONSTRAINT "not_superseded_by_itself"`);
        await queryRunner.query(`ALTER TABLE "citation" DROP CONSTRAINT "retraction_explained"`);
        await queryRunner.query(`ALTER TABLE "citation" DROP CONSTRAINT "not_superseded_by_itself"`);
        await queryRunner.query(`ALTER TABLE "source" DROP CONSTRAINT "retraction_explained"`);
        await queryRunner.query(`ALTER TABLE "source" DROP CONSTRAINT "not_superseded_by_itself"`);
        await queryRunner.query(`ALTER TABLE "topic" DROP CONSTRAINT "retraction_explained"`);
        await queryRunner.query(`ALTER TABLE "topic" DROP CONSTRAINT "not_superseded_by_itself"`);
        await queryRunner.query(`ALTER TABLE "actor" DROP CONSTRAINT "retraction_explained"`);
        await queryRunner.query(`ALTER TABLE "actor" DROP CONSTRAINT "not_superseded_by_itself"`);
        await queryRunner.query(`ALTER TABLE "actor_relation" DROP COLUMN "superseded_by_id"`);
        await queryRunner.query(`ALTER TABLE "actor_relation" DROP COLUMN "retraction_reason"`);
        await queryRunner.query(`ALTER TABLE "actor_relation" DROP COLUMN "retracted_at"`);
        await queryRunner.query(`ALTER TABLE "actor_relation" DROP COLUMN "version"`);
        await queryRunner.query(`ALTER TABLE "implication" DROP COLUMN "superseded_by_id"`);
        await queryRunner.query(`ALTER TABLE "implication" DROP COLUMN "retraction_reason"`);
        await queryRunner.query(`ALTER TABLE "implication" DROP COLUMN "retracted_at"`);
        await queryRunner.query(`ALTER TABLE "implication" DROP COLUMN "version"`);
        await queryRunner.query(`ALTER TABLE "challenge" DROP COLUMN "superseded_by_id"`);
        await queryRunner.query(`ALTER TABLE "challenge" DROP COLUMN "retraction_reason"`);
        await queryRunner.query(`ALTER TABLE "challenge" DROP COLUMN "retracted_at"`);
        await queryRunner.query(`ALTER TABLE "challenge" DROP COLUMN "version"`);
        await queryRunner.query(`ALTER TABLE "capability" DROP COLUMN "superseded_by_id"`);
        await queryRunner.query(`ALTER TABLE "capability" DROP COLUMN "retraction_reason"`);
        await queryRunner.query(`ALTER TABLE "capability" DROP COLUMN "retracted_at"`);
        await queryRunner.query(`ALTER TABLE "capability" DROP COLUMN "version"`);
        await queryRunner.query(`ALTER TABLE "event" DROP COLUMN "superseded_by_id"`);
        await queryRunner.query(`ALTER TABLE "event" DROP COLUMN "retraction_reason"`);
        await queryRunner.query(`ALTER TABLE "event" DROP COLUMN "retracted_at"`);
        await queryRunner.query(`ALTER TABLE "event" DROP COLUMN "version"`);
        await queryRunner.query(`ALTER TABLE "location" DROP COLUMN "superseded_by_id"`);
        await queryRunner.query(`ALTER TABLE "location" DROP COLUMN "retraction_reason"`);
        await queryRunner.query(`ALTER TABLE "location" DROP COLUMN "retracted_at"`);
        await queryRunner.query(`ALTER TABLE "location" DROP COLUMN "version"`);
        await queryRunner.query(`ALTER TABLE "citation" DROP COLUMN "superseded_by_id"`);
        await queryRunner.query(`ALTER TABLE "citation" DROP COLUMN "retraction_reason"`);
        await queryRunner.query(`ALTER TABLE "citation" DROP COLUMN "retracted_at"`);
        await queryRunner.query(`ALTER TABLE "citation" DROP COLUMN "version"`);
        await queryRunner.query(`ALTER TABLE "source" DROP COLUMN "superseded_by_id"`);
        await queryRunner.query(`ALTER TABLE "source" DROP COLUMN "retraction_reason"`);
        await queryRunner.query(`ALTER TABLE "source" DROP COLUMN "retracted_at"`);
        await queryRunner.query(`ALTER TABLE "source" DROP COLUMN "version"`);
        await queryRunner.query(`ALTER TABLE "topic" DROP COLUMN "superseded_by_id"`);
        await queryRunner.query(`ALTER TABLE "topic" DROP COLUMN "retraction_reason"`);
        await queryRunner.query(`ALTER TABLE "topic" DROP COLUMN "retracted_at"`);
        await queryRunner.query(`ALTER TABLE "topic" DROP COLUMN "version"`);
        await queryRunner.query(`ALTER TABLE "actor" DROP COLUMN "external_ids"`);
        await queryRunner.query(`ALTER TABLE "actor" DROP COLUMN "superseded_by_id"`);
        await queryRunner.query(`ALTER TABLE "actor" DROP COLUMN "retraction_reason"`);
        await queryRunner.query(`ALTER TABLE "actor" DROP COLUMN "retracted_at"`);
        await queryRunner.query(`ALTER TABLE "actor" DROP COLUMN "version"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_64717ed8f70e8769fde41c748b"`);
        await queryRunner.query(`DROP TABLE "actor_external_id"`);
    }

}
