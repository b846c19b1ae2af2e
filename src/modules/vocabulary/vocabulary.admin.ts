import type { EntityManager } from 'typeorm';
import { badUserInput, conflict, notFoundAt } from '../../common/errors';
import { requiredText } from '../item/item.write';
import { TERM_FORMAT } from './vocabulary-term.entity';

// ADMIN changes of vocabularies. Each runs in the caller's transaction; the table's checks back the format checks.
// UPDATEs are read through a CTE: a bare UPDATE ... RETURNING answers [rows, count] through TypeORM.

const termOf = (term: string) => {
  if (!TERM_FORMAT.test(term)) throw badUserInput('term', 'a term is UPPER_SNAKE: a capital letter, then capitals, digits or _, 64 characters at most');
  return term;
};

/** The vocabulary must exist: new vocabularies come with the fields that use them, in a migration. */
async function lockVocabulary(em: EntityManager, vocabulary: string): Promise<number> {
  // One writer at a time per vocabulary, so that positions do not collide.
  await em.query(`SELECT pg_advisory_xact_lock(hashtext('vocabulary:' || $1))`, [vocabulary]);
  const [{ n, last }]: Array<{ n: number; last: number | null }> = await em.query(
    `SELECT count(*)::int AS n, max(position)::int AS last FROM vocabulary_term WHERE vocabulary = $1`,
    [vocabulary],
  );
  if (!n) throw notFoundAt('vocabulary', `Vocabulary "${vocabulary}"`);
  return last ?? 0;
}

/** A new term at the end of its vocabulary; one already there (deprecated or not) is CONFLICT. */
export async function addTerm(em: EntityManager, vocabulary: string, term: string, label: string, description: string | null | undefined) {
  const last = await lockVocabulary(em, vocabulary);
  const rows: unknown[] = await em.query(
    `INSERT INTO vocabulary_term (vocabulary, term, label, description, position) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING term`,
    [vocabulary, termOf(term), requiredText(label, 'label', 'a label'), description?.trim() || null, last + 1],
  );
  if (!rows.length) throw conflict(`the ${vocabulary} vocabulary has the term ${term} already: relabel it instead`);
}

/** A new label (and, when given, description; null removes it) for a term. */
export async function relabelTerm(em: EntityManager, vocabulary: string, term: string, label: string, description: string | null | undefined) {
  await lockVocabulary(em, vocabulary);
  const rows: unknown[] = await em.query(
    `WITH changed AS (UPDATE vocabulary_term SET label = $3, description = CASE WHEN $4 THEN $5 ELSE description END, updated_at = now()
       WHERE vocabulary = $1 AND term = $2 RETURNING term) SELECT term FROM changed`,
    [vocabulary, term, requiredText(label, 'label', 'a label'), description !== undefined, description?.trim() || null],
  );
  if (!rows.length) throw notFoundAt('term', `Term ${term} of the ${vocabulary} vocabulary`);
}

/** Refuses a term on new writes from now on; rows that hold it keep it. Deprecating it again changes nothing. */
export async function deprecateTerm(em: EntityManager, vocabulary: string, term: string) {
  await lockVocabulary(em, vocabulary);
  const rows: unknown[] = await em.query(
    `WITH changed AS (UPDATE vocabulary_term SET deprecated_at = coalesce(deprecated_at, now()), updated_at = CASE WHEN deprecated_at IS NULL THEN now() ELSE updated_at END
       WHERE vocabulary = $1 AND term = $2 RETURNING term) SELECT term FROM changed`,
    [vocabulary, term],
  );
  if (!rows.length) throw notFoundAt('term', `Term ${term} of the ${vocabulary} vocabulary`);
}
