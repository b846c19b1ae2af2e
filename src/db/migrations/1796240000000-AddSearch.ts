// Full-text and typo-tolerant search (modules/search): expression GIN indexes, no new columns. Prose is indexed with
// the 'english' configuration (stemmed), names with 'simple' (Kursk, Pyongyang stay as written), and names and aliases
// with trigrams for misspellings. The expressions are those of src/modules/search/search.tables.ts, character for
// character, so the planner uses these indexes.
import { MigrationInterface, QueryRunner } from 'typeorm';

const english = (...columns: string[]) => columns.map((c) => `to_tsvector('english'::regconfig, coalesce(${c}, ''))`).join(' || ');
const simple = (...columns: string[]) => columns.map((c) => `to_tsvector('simple'::regconfig, coalesce(${c}, ''))`).join(' || ');

const INDEXES: Array<[string, string, string]> = [
  ['search_capability_english', 'capability', `USING gin ((${english('statement')}))`],
  ['search_challenge_english', 'challenge', `USING gin ((${english('statement')}))`],
  ['search_implication_english', 'implication', `USING gin ((${english('statement')}))`],
  ['search_event_english', 'event', `USING gin ((${english('title', 'description')}))`],
  ['search_actor_relation_english', 'actor_relation', `USING gin ((${english('description')}))`],
  ['search_topic_english', 'topic', `USING gin ((${english('title', 'summary')}))`],
  ['search_actor_english', 'actor', `USING gin ((${english('description')}))`],
  ['search_actor_simple', 'actor', `USING gin ((${simple('name', 'search_aliases(aliases)')}))`],
  ['search_actor_trigram', 'actor', `USING gin ((search_names(name, aliases)) gin_trgm_ops)`],
  ['search_location_english', 'location', `USING gin ((${english('description')}))`],
  ['search_location_simple', 'location', `USING gin ((${simple('name')}))`],
  ['search_location_trigram', 'location', `USING gin ((coalesce(name, '')) gin_trgm_ops)`],
  ['search_source_english', 'source', `USING gin ((${english('description')}))`],
  ['search_source_simple', 'source', `USING gin ((${simple('name')}))`],
  ['search_citation_english', 'citation', `USING gin ((${english('quote')}))`],
];

export class AddSearch1796240000000 implements MigrationInterface {
  name = 'AddSearch1796240000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    // array_to_string is only STABLE in general; for text[] it is immutable, which an index expression needs.
    await queryRunner.query(
      `CREATE FUNCTION search_aliases(aliases text[]) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN coalesce(array_to_string(aliases, ' '), '')`,
    );
    await queryRunner.query(
      `CREATE FUNCTION search_names(name text, aliases text[]) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN coalesce(name, '') || ' ' || search_aliases(aliases)`,
    );
    for (const [name, table, using] of INDEXES) await queryRunner.query(`CREATE INDEX "${name}" ON "${table}" ${using}`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const [name] of [...INDEXES].reverse()) await queryRunner.query(`DROP INDEX "${name}"`);
    await queryRunner.query(`DROP FUNCTION search_names(text, text[])`);
    await queryRunner.query(`DROP FUNCTION search_aliases(text[])`);
    // pg_trgm stays: other databases objects may use it, and creating it needs privileges a revert should not assume.
  }
}
