import { badUserInput } from '../../common/errors';
import { credibilityBound, inTopic, markingAtMost } from '../../read/filters';
import { byChildKey, byParentKey, FieldSpec, list, one } from '../../read/model';
import type { CitationJoin } from '../../read/access';
import { and, SqlBuilder } from '../../read/sql';
import type { AssertionFilter } from './assertion.inputs';

/** The citation column that points at statements of one kind. */
export type CitedColumn = CitationJoin['cited'];

/** Distinct visible sources with a visible citation of row `a`. */
function sourceCount(a: string, cited: CitedColumn, sql: SqlBuilder): string {
  const [ct, s] = [sql.alias(), sql.alias()];
  return `(SELECT count(DISTINCT ${ct}.source_id)::int FROM citation ${ct} JOIN source ${s} ON ${s}.id = ${ct}.source_id
    WHERE ${sql.visibleCitation(ct, { statement: a, cited, source: s })})`;
}

/** Fields every statement kind reads the same way. */
export const assertionFields = (cited: CitedColumn): Record<string, FieldSpec> => ({
  topic: one('Topic', byParentKey('topic_id')),
  citations: list('Citation', byChildKey(cited), (c) => `${c}.credibility, ${c}.id`),
  sourceCount: { kind: 'computed', sql: (a, sql) => sourceCount(a, cited, sql) },
});

/** SQL for the filters of AssertionFilter over row `a`. Citation conditions must hold for one and the same citation. */
export function assertionConditions(f: AssertionFilter, a: string, sql: SqlBuilder, cited: CitedColumn): string[] {
  const conditions = [...inTopic(a, sql, f.topic), ...markingAtMost(a, sql, f.markingAtMost)];
  const [ct, s] = [sql.alias(), sql.alias()];
  const citation: string[] = [];
  const credibility = credibilityBound(f.minCredibility, 'filter.minCredibility');
  if (credibility !== null) citation.push(`${ct}.credibility <= ${sql.param(credibility)}`);
  if (f.minReliability) citation.push(`${s}.reliability <= ${sql.param(f.minReliability, 'source_reliability')}`);
  if (f.reportedFrom) citation.push(`${s}.published_on >= ${sql.param(f.reportedFrom, 'date')}`);
  if (f.reportedTo) citation.push(`${s}.published_on <= ${sql.param(f.reportedTo, 'date')}`);
  if (citation.length) {
    conditions.push(`EXISTS (SELECT 1 FROM citation ${ct} JOIN source ${s} ON ${s}.id = ${ct}.source_id
      WHERE ${sql.visibleCitation(ct, { statement: a, cited, source: s })} AND ${and(citation)})`);
  }
  for (const [bound, op] of [['minSources', '>='], ['maxSources', '<=']] as const) {
    const value = f[bound];
    if (value === null || value === undefined) continue;
    if (!Number.isInteger(value) || value < 0) throw badUserInput(`filter.${bound}`, 'must be a count, 0 or more');
    conditions.push(`${sourceCount(a, cited, sql)} ${op} ${sql.param(value)}`);
  }
  return conditions;
}
