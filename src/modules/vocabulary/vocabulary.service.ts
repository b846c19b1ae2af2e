import type { EntityManager } from 'typeorm';
import { badUserInput } from '../../common/errors';

/** A value given for a vocabulary field, and where it is in the input (for errors). */
export interface TermCheck {
  vocabulary: string;
  term: string;
  path: string;
}

/** A value that is no term of its vocabulary, or a deprecated one. */
export interface TermProblem {
  path: string;
  message: string;
  vocabulary: string;
  closeTerms: string[];
}

interface StoredTerm {
  vocabulary: string;
  term: string;
  deprecated: boolean;
}

/** Levenshtein distance, two rows at a time: vocabularies are tens of short terms. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}

/** How a writer probably meant a term: "nation-state" and "Nation state" are NATION_STATE. */
const asTerm = (text: string) =>
  text
    .trim()
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_');

/** Up to five usable terms near `given`: the same once written UPPER_SNAKE, sharing a prefix, or a few edits away. */
export function closeTerms(given: string, terms: string[]): string[] {
  const wanted = asTerm(given);
  // No term is longer than 64 characters: a longer value is near none, and is not worth the edit distance.
  if (!wanted || wanted.length > 128) return [];
  const near = terms
    .map((term) => {
      const distance = editDistance(wanted, term);
      const prefix = wanted.length >= 2 && (term.startsWith(wanted) || wanted.startsWith(term) || term.includes(wanted));
      return { term, score: prefix ? Math.min(distance, 1) : distance, close: prefix || distance <= Math.max(2, Math.floor(wanted.length / 3)) };
    })
    .filter((t) => t.close);
  near.sort((x, y) => x.score - y.score || (x.term < y.term ? -1 : 1));
  return near.slice(0, 5).map((t) => t.term);
}

/**
 * What is wrong with each value, in one query: unknown terms, and deprecated ones unless `allowDeprecated` (stored
 * rows keep theirs; a file reloading its own rows may too). Answers problems rather than throwing, for callers that
 * report every problem at once (fixture files).
 */
export async function termProblems(em: EntityManager, checks: TermCheck[], options: { allowDeprecated?: boolean } = {}): Promise<TermProblem[]> {
  if (!checks.length) return [];
  const rows: StoredTerm[] = await em.query(
    `SELECT vocabulary, term, deprecated_at IS NOT NULL AS deprecated FROM vocabulary_term WHERE vocabulary = ANY($1::text[]) ORDER BY vocabulary, position, term`,
    [[...new Set(checks.map((c) => c.vocabulary))]],
  );
  const stored = new Map(rows.map((r) => [`${r.vocabulary}\u0000${r.term}`, r]));
  const usable = (vocabulary: string) => rows.filter((r) => r.vocabulary === vocabulary && !r.deprecated).map((r) => r.term);
  const problems: TermProblem[] = [];
  for (const check of checks) {
    const found = stored.get(`${check.vocabulary}\u0000${check.term}`);
    if (found && (!found.deprecated || options.allowDeprecated)) continue;
    const close = closeTerms(check.term, usable(check.vocabulary));
    const what = found
      ? `"${check.term}" is deprecated in the ${check.vocabulary} vocabulary`
      : `"${check.term}" is not a term of the ${check.vocabulary} vocabulary`;
    const hint = close.length ? `; close terms: ${close.join(', ')}` : '';
    problems.push({
      path: check.path,
      vocabulary: check.vocabulary,
      closeTerms: close,
      message: `${what}${hint} (see vocabulary(name: "${check.vocabulary}"))`,
    });
  }
  return problems;
}

/**
 * Refuses a write whose vocabulary values are not usable terms: BAD_USER_INPUT naming the first bad field, with the
 * close terms in the message and in `extensions.closeTerms`. Run it in the write's transaction: no cache, so a term
 * an ADMIN added or deprecated counts from its commit on.
 */
export async function requireTerms(em: EntityManager, checks: TermCheck[]): Promise<void> {
  const [problem] = await termProblems(em, checks);
  if (!problem) return;
  const error = badUserInput(problem.path, problem.message);
  Object.assign(error.extensions, { vocabulary: problem.vocabulary, closeTerms: problem.closeTerms });
  throw error;
}

/** A term as reads show it. */
export interface TermView {
  term: string;
  label: string;
  description: string | null;
  deprecated: boolean;
  stixTerm: string | null;
  stixVocabulary: string | null;
}

/** Vocabularies with their terms in order (all of them, or those named), in one query. */
export async function readVocabularies(em: EntityManager, names?: string[]): Promise<Array<{ name: string; terms: TermView[] }>> {
  const rows: Array<TermView & { vocabulary: string }> = await em.query(
    `SELECT vocabulary, term, label, description, deprecated_at IS NOT NULL AS deprecated, stix_term AS "stixTerm", stix_vocabulary AS "stixVocabulary"
     FROM vocabulary_term WHERE $1::text[] IS NULL OR vocabulary = ANY($1::text[]) ORDER BY vocabulary, position, term`,
    [names ?? null],
  );
  const byName = new Map<string, TermView[]>();
  for (const { vocabulary, ...term } of rows) byName.set(vocabulary, [...(byName.get(vocabulary) ?? []), term]);
  return [...byName].map(([name, terms]) => ({ name, terms }));
}

/** Labels of the terms of `vocabularies`, by vocabulary and term: for rendering (a brief loads them once). */
export async function termLabels(em: EntityManager, vocabularies: string[]): Promise<Map<string, Map<string, string>>> {
  const labels = new Map<string, Map<string, string>>();
  for (const v of await readVocabularies(em, vocabularies)) labels.set(v.name, new Map(v.terms.map((t) => [t.term, t.label])));
  return labels;
}
