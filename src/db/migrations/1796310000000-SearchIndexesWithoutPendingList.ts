// Search's GIN indexes without a pending list (fastupdate off). With one, new rows wait in an unsorted list that every
// search reads through until a vacuum merges it: up to 4 MB (gin_pending_list_limit) per index, which made even a
// search with no hit take tens of milliseconds per table at a million statements. Inserts pay for the index at once
// instead. The lists built so far are merged here.
import { MigrationInterface, QueryRunner } from 'typeorm';

const INDEXES = [
  'search_capability_english',
  'search_challenge_english',
  'search_implication_english',
  'search_event_english',
  'search_actor_relation_english',
  'search_topic_english',
  'search_actor_english',
  'search_actor_simple',
  'search_actor_trigram',
  'search_location_english',
  'search_location_simple',
  'search_location_trigram',
  'search_source_english',
  'search_source_simple',
  'search_source_trigram',
  'search_citation_english',
];

export class SearchIndexesWithoutPendingList1796310000000 implements MigrationInterface {
  name = 'SearchIndexesWithoutPendingList1796310000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const name of INDEXES) {
      await queryRunner.query(`ALTER INDEX "${name}" SET (fastupdate = off)`);
      await queryRunner.query(`SELECT gin_clean_pending_list('"${name}"'::regclass)`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of [...INDEXES].reverse()) await queryRunner.query(`ALTER INDEX "${name}" RESET (fastupdate)`);
  }
}
