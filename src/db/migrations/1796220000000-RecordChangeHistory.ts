import { MigrationInterface, QueryRunner } from "typeorm";

// Every table of marked items: each change of a row is recorded in `change`, by the database, so every path (the API,
// imports, fixture loads, raw SQL) is in the history alike.
const ITEM_TABLES = ['topic', 'actor', 'location', 'source', 'citation', 'capability', 'challenge', 'implication', 'event', 'actor_relation'];
const STATEMENT_TABLES = ['capability', 'challenge', 'implication', 'event', 'actor_relation'];
const CITED: Record<string, string> = { capability: 'capability_id', challenge: 'challenge_id', implication: 'implication_id', event: 'event_id', actor_relation: 'relation_id' };

// The topic of a citation's statement, and who may read that statement and its source.
const citationStatement = STATEMENT_TABLES.map((t) => `WHEN item.${CITED[t]} IS NOT NULL THEN
                    SELECT s.topic_id, jsonb_build_object('marking', s.marking, 'organisation', s.organisation, 'audience', s.audience)
                    INTO item_topic, statement_access FROM ${t} s WHERE s.id = item.${CITED[t]};`).join('\n                ');

export class RecordChangeHistory1796220000000 implements MigrationInterface {
    name = 'RecordChangeHistory1796220000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        // tx is the writing transaction's id: the feed is read in (tx, id) order, and only below the oldest transaction
        // still running, so nothing can commit behind a reader's cursor. `access` is who may read the item after the
        // change (before it, for a deletion): every entry must admit the reader, a citation's also those of its statement
        // and source. `access_before` is kept when the change re-marked the item, with `state`, the whole item after.
        await queryRunner.query(`CREATE TABLE "change" (
            "id" bigserial NOT NULL,
            "tx" xid8 NOT NULL DEFAULT pg_current_xact_id(),
            "item_table" text NOT NULL,
            "item_id" uuid NOT NULL,
            "topic_id" uuid,
            "operation" text NOT NULL, -- create, update, retract, restore or delete: only record_change() writes here
            "version" integer,
            "principal" text,
            "comment" text,
            "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
            "before" jsonb,
            "after" jsonb,
            "state" jsonb,
            "access" jsonb NOT NULL,
            "access_before" jsonb,
            CONSTRAINT "PK_change" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "change_feed" ON "change" ("tx", "id")`);
        await queryRunner.query(`CREATE INDEX "change_of_item" ON "change" ("item_id", "tx", "id")`);
        await queryRunner.query(`CREATE INDEX "change_of_topic" ON "change" ("topic_id", "tx", "id")`);
        // The first change anyone but the seed made: what the seed created before it is the install (brief deltas).
        await queryRunner.query(`CREATE INDEX "change_not_by_seed" ON "change" ("id") WHERE principal IS DISTINCT FROM 'dossier:seed'`);
        // Only the fields that changed are kept (the version has its column; updated_at moves with every write).
        await queryRunner.query(`CREATE FUNCTION record_change() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                item record;
                old_json jsonb := CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE to_jsonb(OLD) - '{version,updated_at}'::text[] END;
                new_json jsonb := CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE to_jsonb(NEW) - '{version,updated_at}'::text[] END;
                op text;
                item_topic uuid;
                statement_access jsonb;
                source_access jsonb;
                new_access jsonb;
                old_access jsonb;
                diff_before jsonb;
                diff_after jsonb;
            BEGIN
                IF TG_OP = 'DELETE' THEN item := OLD; ELSE item := NEW; END IF;
                IF TG_OP = 'UPDATE' THEN
                    SELECT jsonb_object_agg(o.key, o.value), jsonb_object_agg(o.key, new_json -> o.key) INTO diff_before, diff_after
                        FROM jsonb_each(old_json) o WHERE new_json -> o.key IS DISTINCT FROM o.value;
                    -- A write that changes nothing is no change; one of the item's links shows as a new version alone.
                    IF diff_before IS NULL AND NEW.version = OLD.version THEN RETURN NULL; END IF;
                    op := CASE WHEN OLD.retracted_at IS NULL AND NEW.retracted_at IS NOT NULL THEN 'retract'
                               WHEN OLD.retracted_at IS NOT NULL AND NEW.retracted_at IS NULL THEN 'restore'
                               ELSE 'update' END;
                ELSE
                    op := CASE WHEN TG_OP = 'INSERT' THEN 'create' ELSE 'delete' END;
                END IF;
                IF TG_TABLE_NAME = 'topic' THEN item_topic := item.id;
                ELSIF TG_TABLE_NAME = 'citation' THEN
                    CASE
                ${citationStatement}
                    ELSE NULL;
                    END CASE;
                    SELECT jsonb_build_object('marking', s.marking, 'organisation', s.organisation, 'audience', s.audience)
                        INTO source_access FROM source s WHERE s.id = item.source_id;
                ELSIF TG_TABLE_NAME IN (${STATEMENT_TABLES.map((t) => `'${t}'`).join(', ')}) THEN item_topic := (to_jsonb(item) ->> 'topic_id')::uuid;
                END IF;
                new_access := jsonb_build_array(jsonb_build_object('marking', item.marking, 'organisation', item.organisation, 'audience', item.audience));
                IF statement_access IS NOT NULL THEN new_access := new_access || statement_access;
                ELSIF TG_TABLE_NAME = 'citation' THEN
                    -- Its statement is gone (deleted with it): who could read it is what was recorded last.
                    SELECT c.access - 0 INTO statement_access FROM change c WHERE c.item_id = item.id ORDER BY c.id DESC LIMIT 1;
                    new_access := new_access || coalesce(statement_access, '[]'::jsonb);
                    source_access := NULL;
                END IF;
                IF source_access IS NOT NULL THEN new_access := new_access || source_access; END IF;
                IF TG_OP = 'UPDATE' AND (OLD.marking, OLD.organisation, OLD.audience) IS DISTINCT FROM (NEW.marking, NEW.organisation, NEW.audience) THEN
                    old_access := jsonb_build_array(jsonb_build_object('marking', OLD.marking, 'organisation', OLD.organisation, 'audience', OLD.audience))
                        || (new_access - 0);
                END IF;
                INSERT INTO change (item_table, item_id, topic_id, operation, version, principal, comment, before, after, state, access, access_before)
                VALUES (TG_TABLE_NAME, item.id, item_topic, op, CASE WHEN TG_OP = 'DELETE' THEN OLD.version ELSE NEW.version END,
                    nullif(current_setting('dossier.principal', true), ''), nullif(current_setting('dossier.comment', true), ''),
                    -- A change of its links alone changed none of its fields: {} (null is content erased by a deletion).
                    CASE WHEN TG_OP = 'UPDATE' THEN coalesce(diff_before, '{}') END,
                    CASE WHEN TG_OP = 'INSERT' THEN new_json WHEN TG_OP = 'UPDATE' THEN coalesce(diff_after, '{}') END,
                    CASE WHEN old_access IS NOT NULL THEN new_json END, new_access, old_access);
                -- Deleted for good is for what must not be kept at all: its earlier contents leave the history too.
                IF TG_OP = 'DELETE' THEN
                    UPDATE change c SET before = NULL, after = NULL, state = NULL WHERE c.item_id = OLD.id AND c.operation <> 'delete';
                END IF;
                RETURN NULL;
            END $$`);
        for (const table of ITEM_TABLES) {
            await queryRunner.query(`CREATE TRIGGER record_change AFTER INSERT OR UPDATE OR DELETE ON "${table}" FOR EACH ROW EXECUTE FUNCTION record_change()`);
        }
        // What is already stored gets its creation, by nobody known, when it was created.
        for (const table of ITEM_TABLES.filter((t) => t !== 'citation')) {
            await queryRunner.query(`INSERT INTO change (item_table, item_id, topic_id, operation, version, at, after, access)
                SELECT '${table}', x.id, ${table === 'topic' ? 'x.id' : STATEMENT_TABLES.includes(table) ? 'x.topic_id' : 'NULL'}, 'create', x.version, x.created_at,
                    to_jsonb(x) - '{version,updated_at}'::text[], jsonb_build_array(jsonb_build_object('marking', x.marking, 'organisation', x.organisation, 'audience', x.audience))
                FROM "${table}" x ORDER BY x.created_at, x.id`);
        }
        const statementOf = STATEMENT_TABLES.map((t) => `(SELECT jsonb_build_object('topic', s.topic_id, 'marking', s.marking, 'organisation', s.organisation, 'audience', s.audience) FROM ${t} s WHERE s.id = x.${CITED[t]})`);
        await queryRunner.query(`INSERT INTO change (item_table, item_id, topic_id, operation, version, at, after, access)
            SELECT 'citation', x.id, (st.a ->> 'topic')::uuid, 'create', x.version, x.created_at, to_jsonb(x) - '{version,updated_at}'::text[],
                jsonb_build_array(jsonb_build_object('marking', x.marking, 'organisation', x.organisation, 'audience', x.audience),
                    st.a - 'topic', jsonb_build_object('marking', so.marking, 'organisation', so.organisation, 'audience', so.audience))
            FROM citation x JOIN source so ON so.id = x.source_id CROSS JOIN LATERAL (SELECT coalesce(${statementOf.join(', ')}) AS a) st
            ORDER BY x.created_at, x.id`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        for (const table of ITEM_TABLES) await queryRunner.query(`DROP TRIGGER record_change ON "${table}"`);
        await queryRunner.query(`DROP FUNCTION record_change()`);
        await queryRunner.query(`DROP TABLE "change"`);
    }

}
