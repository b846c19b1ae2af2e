// The history of created items (RecordChangeHistory) is recorded once per INSERT statement, from its transition table,
// instead of once per row. Per row, record_change() ran a PL/pgSQL call, one or two lookups and a one-row INSERT into
// `change` for each created row: most of a bulk import's time. Its lookups also ran on plans the session had cached
// while the tables were small (a sequential scan of a statement table for each citation, once the import had made it
// large). The statement here is planned each time it runs (EXECUTE), at the tables' size then. Updates and deletions
// stay with record_change(), row by row, unchanged.
//
// What is recorded is what record_change() wrote for an INSERT: the same columns and values, one row per created
// item, in the order the rows were inserted.
import { MigrationInterface, QueryRunner } from 'typeorm';

const ITEM_TABLES = ['topic', 'actor', 'location', 'source', 'citation', 'capability', 'challenge', 'implication', 'event', 'actor_relation'];
const STATEMENT_TABLES = ['capability', 'challenge', 'implication', 'event', 'actor_relation'];
const CITED: Record<string, string> = { capability: 'capability_id', challenge: 'challenge_id', implication: 'implication_id', event: 'event_id', actor_relation: 'relation_id' };
const LEFT_OUT = `'{version,updated_at,search_english}'::text[]`;

const access = (row: string) => `jsonb_build_object('marking', ${row}.marking, 'organisation', ${row}.organisation, 'audience', ${row}.audience)`;
const topicOf = (table: string) => (table === 'topic' ? 'n.id' : STATEMENT_TABLES.includes(table) ? 'n.topic_id' : 'NULL::uuid');

/** The change rows of the rows `n` created in `table`, with `topic` and `access`: one scan, in insertion order. */
const insertChanges = (table: string, topic: string, accessList: string) => `INSERT INTO change (item_table, item_id, topic_id, operation, version,
    principal, comment, after, access)
  SELECT '${table}', n.id, ${topic}, 'create', n.version, nullif(current_setting('dossier.principal', true), ''),
    nullif(current_setting('dossier.comment', true), ''), to_jsonb(n) - ${LEFT_OUT}, ${accessList}
  FROM new_rows n`;

// A citation's topic is its statement's; its access adds who may read its statement, then its source. A statement
// not found (record_change's case of one deleted with it) falls back to the citation's own last recorded access.
// Looked up by key for each row (subqueries, not joins), so the rows keep their order.
const statementOf = `CASE ${STATEMENT_TABLES.map(
  (t) => `WHEN n.${CITED[t]} IS NOT NULL THEN (SELECT jsonb_build_object('topic', s.topic_id, 'access', ${access('s')}) FROM ${t} s WHERE s.id = n.${CITED[t]})`,
).join('\n    ')} END`;
const citationAccess = `CASE WHEN st.a IS NOT NULL
      THEN jsonb_build_array(${access('n')}, st.a -> 'access')
        || coalesce((SELECT jsonb_build_array(${access('so')}) FROM source so WHERE so.id = n.source_id), '[]'::jsonb)
      ELSE jsonb_build_array(${access('n')}) || coalesce((SELECT c.access - 0 FROM change c WHERE c.item_id = n.id ORDER BY c.id DESC LIMIT 1), '[]'::jsonb)
    END`;
const citationChanges = insertChanges('citation', `(st.a ->> 'topic')::uuid`, citationAccess).replace(
  'FROM new_rows n',
  `FROM new_rows n CROSS JOIN LATERAL (SELECT ${statementOf} AS a OFFSET 0) st`,
);

const recordCreations = `CREATE FUNCTION record_creations() RETURNS trigger LANGUAGE plpgsql AS $fn$
  BEGIN
    IF TG_TABLE_NAME = 'citation' THEN
      EXECUTE $q$ ${citationChanges} $q$;
    ${ITEM_TABLES.filter((t) => t !== 'citation')
      .map((t) => `ELSIF TG_TABLE_NAME = '${t}' THEN\n      EXECUTE $q$ ${insertChanges(t, topicOf(t), `jsonb_build_array(${access('n')})`)} $q$;`)
      .join('\n    ')}
    END IF;
    RETURN NULL;
  END $fn$`;

export class RecordCreationsPerStatement1796500000000 implements MigrationInterface {
  name = 'RecordCreationsPerStatement1796500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(recordCreations);
    for (const table of ITEM_TABLES) {
      await queryRunner.query(`DROP TRIGGER record_change ON "${table}"`);
      await queryRunner.query(`CREATE TRIGGER record_change AFTER UPDATE OR DELETE ON "${table}" FOR EACH ROW EXECUTE FUNCTION record_change()`);
      await queryRunner.query(
        `CREATE TRIGGER record_creations AFTER INSERT ON "${table}" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION record_creations()`,
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ITEM_TABLES) {
      await queryRunner.query(`DROP TRIGGER record_creations ON "${table}"`);
      await queryRunner.query(`DROP TRIGGER record_change ON "${table}"`);
      await queryRunner.query(`CREATE TRIGGER record_change AFTER INSERT OR UPDATE OR DELETE ON "${table}" FOR EACH ROW EXECUTE FUNCTION record_change()`);
    }
    await queryRunner.query(`DROP FUNCTION record_creations()`);
  }
}
