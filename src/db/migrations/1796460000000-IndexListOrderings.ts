// Every ordering a list offers reads an index on its key and the id (the tie-breaker), character for character the
// key the read models order by (src/read/model.ts), so a page stops after first + 1 rows instead of sorting the
// table. Lists by a vocabulary term order by the term's position: `vocabulary_position`, declared immutable, which
// holds because a term's position is set when the term is added and never changes (a trigger refuses to change or
// delete a term, and items take only known terms). Nullable confidence orders by its rank, spelled out as a CASE
// (enum_range is only stable, so cannot be indexed).
import { MigrationInterface, QueryRunner } from 'typeorm';

const TIMESTAMPS = { created_at: 'created_at', updated_at: 'updated_at' };
const undated = (column: string) => `coalesce(${column}, '-infinity'::date)`;
const term = (vocabulary: string, column: string) => `vocabulary_position('${vocabulary}', ${column})`;

/** Per table, the key of each ordering by its field name (lower case). */
const ORDERINGS: Record<string, Record<string, string>> = {
  capability: { category: term('capability-category', 'category'), ...TIMESTAMPS },
  challenge: { category: term('challenge-category', 'category'), ...TIMESTAMPS },
  actor_relation: { type: term('relation-type', 'type'), valid_from: undated('valid_from'), ...TIMESTAMPS },
  event: TIMESTAMPS, // OCCURRED_ON has event_occurred_order
  implication: {
    likelihood: 'likelihood',
    confidence: `(CASE confidence WHEN 'LOW' THEN 1 WHEN 'MODERATE' THEN 2 WHEN 'HIGH' THEN 3 ELSE 0 END)`,
    as_of: undated('as_of'),
    ...TIMESTAMPS,
  },
  source: { name: 'name', published_on: undated('published_on'), reliability: 'reliability', ...TIMESTAMPS },
  actor: { name: 'name', ...TIMESTAMPS },
  topic: { title: 'title', starts_on: undated('starts_on'), ...TIMESTAMPS },
  location: { name: 'name', ...TIMESTAMPS },
  citation: { credibility: 'credibility', ...TIMESTAMPS },
};

export class IndexListOrderings1796460000000 implements MigrationInterface {
  name = 'IndexListOrderings1796460000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE FUNCTION vocabulary_position(vocabulary text, term text) RETURNS smallint
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      RETURN coalesce((SELECT v.position FROM public.vocabulary_term v WHERE v.vocabulary = $1 AND v.term = $2), 32767::smallint)`);
    await queryRunner.query(`CREATE FUNCTION vocabulary_term_keeps_its_place() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' OR (NEW.vocabulary, NEW.term, NEW.position) IS DISTINCT FROM (OLD.vocabulary, OLD.term, OLD.position) THEN
          RAISE EXCEPTION 'a vocabulary term keeps its name and position (lists are indexed by it): deprecate it instead'
            USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
      END $$`);
    // After the row is written, so the table's own checks (a term's format) answer first.
    await queryRunner.query(`CREATE TRIGGER vocabulary_term_keeps_its_place AFTER UPDATE OR DELETE ON vocabulary_term
      FOR EACH ROW EXECUTE FUNCTION vocabulary_term_keeps_its_place()`);
    for (const [table, orderings] of Object.entries(ORDERINGS)) {
      for (const [field, key] of Object.entries(orderings)) {
        await queryRunner.query(`CREATE INDEX "${table}_order_${field}" ON "${table}" ((${key}), id)`);
      }
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const [table, orderings] of Object.entries(ORDERINGS)) {
      for (const field of Object.keys(orderings)) await queryRunner.query(`DROP INDEX "${table}_order_${field}"`);
    }
    await queryRunner.query(`DROP TRIGGER vocabulary_term_keeps_its_place ON vocabulary_term`);
    await queryRunner.query(`DROP FUNCTION vocabulary_term_keeps_its_place()`);
    await queryRunner.query(`DROP FUNCTION vocabulary_position(text, text)`);
  }
}
