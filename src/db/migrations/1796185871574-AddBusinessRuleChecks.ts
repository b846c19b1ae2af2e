import { MigrationInterface, QueryRunner } from "typeorm";

export class AddBusinessRuleChecks1796185871574 implements MigrationInterface {
    name = 'AddBusinessRuleChecks1796185871574'

    public async up(queryRunner: QueryRunner): Promise<void> {
        // Quotes were checked non-blank but stored as given: trim them, as the write path now does, before the check holds them.
        await queryRunner.query(`UPDATE "citation" SET quote = regexp_replace(quote, '^\\s+|\\s+$', '', 'g') WHERE quote !~ '^\\S(.*\\S)?$'`);
        await queryRunner.query(`ALTER TABLE "actor" ADD CONSTRAINT "audience_only_red" CHECK (marking = 'RED' OR cardinality(audience) = 0)`);
        await queryRunner.query(`ALTER TABLE "actor" ADD CONSTRAINT "organisation_format" CHECK (organisation ~ '^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$')`);
        await queryRunner.query(`ALTER TABLE "actor" ADD CONSTRAINT "actor_not_own_parent" CHECK (parent_id <> id)`);
        await queryRunner.query(`ALTER TABLE "actor" ADD CONSTRAINT "country_code_format" CHECK (country_code ~ '^[A-Z]{2}$')`);
        await queryRunner.query(`ALTER TABLE "actor" ADD CONSTRAINT "name_not_blank" CHECK (name ~ '^\\S(.*\\S)?$')`);
        await queryRunner.query(`ALTER TABLE "brief_definition" ADD CONSTRAINT "brief_definition_paused_not_due" CHECK (NOT paused OR next_run_at IS NULL)`);
        await queryRunner.query(`ALTER TABLE "brief_definition" ADD CONSTRAINT "brief_definition_marking_is_clearance" CHECK (input->>'clearance' = marking::text)`);
        await queryRunner.query(`ALTER TABLE "brief_definition" ADD CONSTRAINT "brief_definition_schedule_given" CHECK (cron ~ '\\S' AND time_zone ~ '\\S')`);
        await queryRunner.query(`ALTER TABLE "brief_definition" ADD CONSTRAINT "brief_definition_formats_given" CHECK (cardinality(formats) > 0)`);
        await queryRunner.query(`ALTER TABLE "brief_definition" ADD CONSTRAINT "brief_definition_name_length" CHECK (char_length(name) <= 200)`);
        await queryRunner.query(`ALTER TABLE "brief_definition" ADD CONSTRAINT "name_not_blank" CHECK (name ~ '^\\S(.*\\S)?$')`);
        await queryRunner.query(`ALTER TABLE "brief_definition" ADD CONSTRAINT "organisation_format" CHECK (organisation ~ '^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$')`);
        await queryRunner.query(`ALTER TABLE "topic" ADD CONSTRAINT "audience_only_red" CHECK (marking = 'RED' OR cardinality(audience) = 0)`);
        await queryRunner.query(`ALTER TABLE "topic" ADD CONSTRAINT "organisation_format" CHECK (organisation ~ '^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$')`);
        await queryRunner.query(`ALTER TABLE "topic" ADD CONSTRAINT "topic_period_ordered" CHECK (starts_on <= ends_on)`);
        await queryRunner.query(`ALTER TABLE "topic" ADD CONSTRAINT "summary_not_blank" CHECK (summary ~ '^\\S(.*\\S)?$')`);
        await queryRunner.query(`ALTER TABLE "topic" ADD CONSTRAINT "title_not_blank" CHECK (title ~ '^\\S(.*\\S)?$')`);
        await queryRunner.query(`ALTER TABLE "topic" ADD CONSTRAINT "topic_slug_format" CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$')`);
        await queryRunner.query(`ALTER TABLE "source" ADD CONSTRAINT "audience_only_red" CHECK (marking = 'RED' OR cardinality(audience) = 0)`);
        await queryRunner.query(`ALTER TABLE "source" ADD CONSTRAINT "organisation_format" CHECK (organisation ~ '^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$')`);
        await queryRunner.query(`ALTER TABLE "source" ADD CONSTRAINT "name_not_blank" CHECK (name ~ '^\\S(.*\\S)?$')`);
        await queryRunner.query(`ALTER TABLE "citation" ADD CONSTRAINT "audience_only_red" CHECK (marking = 'RED' OR cardinality(audience) = 0)`);
        await queryRunner.query(`ALTER TABLE "citation" ADD CONSTRAINT "organisation_format" CHECK (organisation ~ '^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$')`);
        await queryRunner.query(`ALTER TABLE "citation" ADD CONSTRAINT "quote_not_blank" CHECK (quote ~ '^\\S(.*\\S)?$')`);
        await queryRunner.query(`ALTER TABLE "location" ADD CONSTRAINT "audience_only_red" CHECK (marking = 'RED' OR cardinality(audience) = 0)`);
        await queryRunner.query(`ALTER TABLE "location" ADD CONSTRAINT "organisation_format" CHECK (organisation ~ '^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$')`);
        await queryRunner.query(`ALTER TABLE "location" ADD CONSTRAINT "location_coordinates_valid" CHECK ((latitude IS NULL) = (longitude IS NULL) AND latitude BETWEEN -90 AND 90 AND longitude BETWEEN -180 AND 180)`);
        await queryRunner.query(`ALTER TABLE "location" ADD CONSTRAINT "country_code_format" CHECK (country_code ~ '^[A-Z]{2}$')`);
        await queryRunner.query(`ALTER TABLE "location" ADD CONSTRAINT "name_not_blank" CHECK (name ~ '^\\S(.*\\S)?$')`);
        await queryRunner.query(`ALTER TABLE "event" ADD CONSTRAINT "audience_only_red" CHECK (marking = 'RED' OR cardinality(audience) = 0)`);
        await queryRunner.query(`ALTER TABLE "event" ADD CONSTRAINT "organisation_format" CHECK (organisation ~ '^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$')`);
        await queryRunner.query(`ALTER TABLE "event" ADD CONSTRAINT "quantity_has_value" CHECK (num_nonnulls(quantity_unit, quantity_as_stated) = 0 OR num_nonnulls(quantity_low, quantity_best, quantity_high) > 0)`);
        await queryRunner.query(`ALTER TABLE "event" ADD CONSTRAINT "quantity_ordered" CHECK (quantity_low <= quantity_best AND quantity_best <= quantity_high AND quantity_low <= quantity_high)`);
        await queryRunner.query(`ALTER TABLE "event" ADD CONSTRAINT "event_date_fits_precision" CHECK ((precision <> 'MONTH' OR extract(day FROM occurred_on) = 1) AND (precision <> 'YEAR' OR (extract(month FROM occurred_on) = 1 AND extract(day FROM occurred_on) = 1)))`);
        await queryRunner.query(`ALTER TABLE "event" ADD CONSTRAINT "title_not_blank" CHECK (title ~ '^\\S(.*\\S)?$')`);
        await queryRunner.query(`ALTER TABLE "brief_run" ADD CONSTRAINT "organisation_format" CHECK (organisation ~ '^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$')`);
        await queryRunner.query(`ALTER TABLE "api_key" ADD CONSTRAINT "api_key_principal_of_name" CHECK (principal = CASE WHEN organisation IS NULL THEN name ELSE organisation || '/' || name END)`);
        await queryRunner.query(`ALTER TABLE "api_key" ADD CONSTRAINT "api_key_name_format" CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$')`);
        await queryRunner.query(`ALTER TABLE "api_key" ADD CONSTRAINT "organisation_format" CHECK (organisation ~ '^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$')`);
        await queryRunner.query(`ALTER TABLE "capability" ADD CONSTRAINT "audience_only_red" CHECK (marking = 'RED' OR cardinality(audience) = 0)`);
        await queryRunner.query(`ALTER TABLE "capability" ADD CONSTRAINT "organisation_format" CHECK (organisation ~ '^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$')`);
        await queryRunner.query(`ALTER TABLE "capability" ADD CONSTRAINT "quantity_has_value" CHECK (num_nonnulls(quantity_unit, quantity_as_stated) = 0 OR num_nonnulls(quantity_low, quantity_best, quantity_high) > 0)`);
        await queryRunner.query(`ALTER TABLE "capability" ADD CONSTRAINT "quantity_ordered" CHECK (quantity_low <= quantity_best AND quantity_best <= quantity_high AND quantity_low <= quantity_high)`);
        await queryRunner.query(`ALTER TABLE "capability" ADD CONSTRAINT "statement_not_blank" CHECK (statement ~ '^\\S(.*\\S)?$')`);
        await queryRunner.query(`ALTER TABLE "challenge" ADD CONSTRAINT "audience_only_red" CHECK (marking = 'RED' OR cardinality(audience) = 0)`);
        await queryRunner.query(`ALTER TABLE "challenge" ADD CONSTRAINT "organisation_format" CHECK (organisation ~ '^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$')`);
        await queryRunner.query(`ALTER TABLE "challenge" ADD CONSTRAINT "quantity_has_value" CHECK (num_nonnulls(quantity_unit, quantity_as_stated) = 0 OR num_nonnulls(quantity_low, quantity_best, quantity_high) > 0)`);
        await queryRunner.query(`ALTER TABLE "challenge" ADD CONSTRAINT "quantity_ordered" CHECK (quantity_low <= quantity_best AND quantity_best <= quantity_high AND quantity_low <= quantity_high)`);
        await queryRunner.query(`ALTER TABLE "challenge" ADD CONSTRAINT "statement_not_blank" CHECK (statement ~ '^\\S(.*\\S)?$')`);
        await queryRunner.query(`ALTER TABLE "implication" ADD CONSTRAINT "audience_only_red" CHECK (marking = 'RED' OR cardinality(audience) = 0)`);
        await queryRunner.query(`ALTER TABLE "implication" ADD CONSTRAINT "organisation_format" CHECK (organisation ~ '^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$')`);
        await queryRunner.query(`ALTER TABLE "implication" ADD CONSTRAINT "statement_not_blank" CHECK (statement ~ '^\\S(.*\\S)?$')`);
        await queryRunner.query(`ALTER TABLE "actor_relation" ADD CONSTRAINT "audience_only_red" CHECK (marking = 'RED' OR cardinality(audience) = 0)`);
        await queryRunner.query(`ALTER TABLE "actor_relation" ADD CONSTRAINT "organisation_format" CHECK (organisation ~ '^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$')`);
        await queryRunner.query(`ALTER TABLE "actor_relation" ADD CONSTRAINT "relation_distinct_actors" CHECK (from_actor_id <> to_actor_id)`);
        await queryRunner.query(`ALTER TABLE "actor_relation" ADD CONSTRAINT "relation_validity_ordered" CHECK (valid_from <= valid_to)`);
        await queryRunner.query(`ALTER TABLE "release" ADD CONSTRAINT "release_reason_given" CHECK (reason ~ '^\\S(.*\\S)?$')`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "release" DROP CONSTRAINT "release_reason_given"`);
        await queryRunner.query(`ALTER TABLE "actor_relation" DROP CONSTRAINT "relation_validity_ordered"`);
        await queryRunner.query(`ALTER TABLE "actor_relation" DROP CONSTRAINT "relation_distinct_actors"`);
        await queryRunner.query(`ALTER TABLE "actor_relation" DROP CONSTRAINT "organisation_format"`);
        await queryRunner.query(`ALTER TABLE "actor_relation" DROP CONSTRAINT "audience_only_red"`);
        await queryRunner.query(`ALTER TABLE "implication" DROP CONSTRAINT "statement_not_blank"`);
        await queryRunner.query(`ALTER TABLE "implication" DROP CONSTRAINT "organisation_format"`);
        await queryRunner.query(`ALTER TABLE "implication" DROP CONSTRAINT "audience_only_red"`);
        await queryRunner.query(`ALTER TABLE "challenge" DROP CONSTRAINT "statement_not_blank"`);
        await queryRunner.query(`ALTER TABLE "challenge" DROP CONSTRAINT "quantity_ordered"`);
        await queryRunner.query(`ALTER TABLE "challenge" DROP CONSTRAINT "quantity_has_value"`);
        await queryRunner.query(`ALTER TABLE "challenge" DROP CONSTRAINT "organisation_format"`);
        await queryRunner.query(`ALTER TABLE "challenge" DROP CONSTRAINT "audience_only_red"`);
        await queryRunner.query(`ALTER TABLE "capability" DROP CONSTRAINT "statement_not_blank"`);
        await queryRunner.query(`ALTER TABLE "capability" DROP CONSTRAINT "quantity_ordered"`);
        await queryRunner.query(`ALTER TABLE "capability" DROP CONSTRAINT "quantity_has_value"`);
        await queryRunner.query(`ALTER TABLE "capability" DROP CONSTRAINT "organisation_format"`);
        await queryRunner.query(`ALTER TABLE "capability" DROP CONSTRAINT "audience_only_red"`);
        await queryRunner.query(`ALTER TABLE "api_key" DROP CONSTRAINT "organisation_format"`);
        await queryRunner.query(`ALTER TABLE "api_key" DROP CONSTRAINT "api_key_name_format"`);
        await queryRunner.query(`ALTER TABLE "api_key" DROP CONSTRAINT "api_key_principal_of_name"`);
        await queryRunner.query(`ALTER TABLE "brief_run" DROP CONSTRAINT "organisation_format"`);
        await queryRunner.query(`ALTER TABLE "event" DROP CONSTRAINT "title_not_blank"`);
        await queryRunner.query(`ALTER TABLE "event" DROP CONSTRAINT "event_date_fits_precision"`);
        await queryRunner.query(`ALTER TABLE "event" DROP CONSTRAINT "quantity_ordered"`);
        await queryRunner.query(`ALTER TABLE "event" DROP CONSTRAINT "quantity_has_value"`);
        await queryRunner.query(`ALTER TABLE "event" DROP CONSTRAINT "organisation_format"`);
        await queryRunner.query(`ALTER TABLE "event" DROP CONSTRAINT "audience_only_red"`);
        await queryRunner.query(`ALTER TABLE "location" DROP CONSTRAINT "name_not_blank"`);
        await queryRunner.query(`ALTER TABLE "location" DROP CONSTRAINT "country_code_format"`);
        await queryRunner.query(`ALTER TABLE "location" DROP CONSTRAINT "location_coordinates_valid"`);
        await queryRunner.query(`ALTER TABLE "location" DROP CONSTRAINT "organisation_format"`);
        await queryRunner.query(`ALTER TABLE "location" DROP CONSTRAINT "audience_only_red"`);
        await queryRunner.query(`ALTER TABLE "citation" DROP CONSTRAINT "quote_not_blank"`);
        await queryRunner.query(`ALTER TABLE "citation" DROP CONSTRAINT "organisation_format"`);
        await queryRunner.query(`ALTER TABLE "citation" DROP CONSTRAINT "audience_only_red"`);
        await queryRunner.query(`ALTER TABLE "source" DROP CONSTRAINT "name_not_blank"`);
        await queryRunner.query(`ALTER TABLE "source" DROP CONSTRAINT "organisation_format"`);
        await queryRunner.query(`ALTER TABLE "source" DROP CONSTRAINT "audience_only_red"`);
        await queryRunner.query(`ALTER TABLE "topic" DROP CONSTRAINT "topic_slug_format"`);
        await queryRunner.query(`ALTER TABLE "topic" DROP CONSTRAINT "title_not_blank"`);
        await queryRunner.query(`ALTER TABLE "topic" DROP CONSTRAINT "summary_not_blank"`);
        await queryRunner.query(`ALTER TABLE "topic" DROP CONSTRAINT "topic_period_ordered"`);
        await queryRunner.query(`ALTER TABLE "topic" DROP CONSTRAINT "organisation_format"`);
        await queryRunner.query(`ALTER TABLE "topic" DROP CONSTRAINT "audience_only_red"`);
        await queryRunner.query(`ALTER TABLE "brief_definition" DROP CONSTRAINT "organisation_format"`);
        await queryRunner.query(`ALTER TABLE "brief_definition" DROP CONSTRAINT "name_not_blank"`);
        await queryRunner.query(`ALTER TABLE "brief_definition" DROP CONSTRAINT "brief_definition_name_length"`);
        await queryRunner.query(`ALTER TABLE "brief_definition" DROP CONSTRAINT "brief_definition_formats_given"`);
        await queryRunner.query(`ALTER TABLE "brief_definition" DROP CONSTRAINT "brief_definition_schedule_given"`);
        await queryRunner.query(`ALTER TABLE "brief_definition" DROP CONSTRAINT "brief_definition_marking_is_clearance"`);
        await queryRunner.query(`ALTER TABLE "brief_definition" DROP CONSTRAINT "brief_definition_paused_not_due"`);
        await queryRunner.query(`ALTER TABLE "actor" DROP CONSTRAINT "name_not_blank"`);
        await queryRunner.query(`ALTER TABLE "actor" DROP CONSTRAINT "country_code_format"`);
        await queryRunner.query(`ALTER TABLE "actor" DROP CONSTRAINT "actor_not_own_parent"`);
        await queryRunner.query(`ALTER TABLE "actor" DROP CONSTRAINT "organisation_format"`);
        await queryRunner.query(`ALTER TABLE "actor" DROP CONSTRAINT "audience_only_red"`);
    }

}
