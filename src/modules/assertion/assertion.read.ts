import { badUserInput } from '../../common/errors';
import { and, sql, type Sql } from '../../read/fragment';
import { compare, credibilityBound, inTopic, live, markingAtMost } from '../../read/filters';
import { byParentKey, citationsOf, computed, FieldSpec, one } from '../../read/model';
import type { SqlBuilder } from '../../read/sql';
import type { CitedColumn } from '../../registry/statement-kinds';
import type { AssertionFilter } from './assertion.inputs';

/** A visible citation of row `a`, joined to its source `s`, that stands and cites a source that stands. */
const standingCitation = (ct: Sql, s: Sql, a: Sql, cited: CitedColumn, q: SqlBuilder) =>
  sql`${q.visibleCitation(ct, { statement: a, cited, source: s })} AND ${live(ct)} AND ${live(s)}`;

/** Distinct visible sources with a visible citation of row `a`, retracted ones left out. */
function sourceCount(a: Sql, cited: CitedColumn, q: SqlBuilder): Sql {
  const [ct, s] = [q.alias(), q.alias()];
  return sql`(SELECT count(DISTINCT ${ct}.source_id)::int FROM citation ${ct} JOIN source ${s} ON ${s}.id = ${ct}.source_id
    WHERE ${standingCitation(ct, s, a, cited, q)})`;
}

/** Fields every statement kind reads the same way. */
export const assertionFields = (cited: CitedColumn): Record<string, FieldSpec> => ({
  topic: one('Topic', byParentKey('topic_id')),
  citations: citationsOf(cited, (c) => sql`${c}.credibility, ${c}.id`),
  sourceCount: computed((a, q) => sourceCount(a, cited, q)),
});

/** SQL for the filters of AssertionFilter over row `a`. Citation conditions must hold for one and the same citation. */
export function assertionConditions(f: AssertionFilter, a: Sql, q: SqlBuilder, cited: CitedColumn): Sql[] {
  const conditions = [...inTopic(a, q, f.topic), ...markingAtMost(a, f.markingAtMost)];
  const [ct, s] = [q.alias(), q.alias()];
  const citation = [
    ...compare(ct, 'credibility', '<=', credibilityBound(f.minCredibility, 'filter.minCredibility')),
    ...compare(s, 'reliability', '<=', f.minReliability, 'source_reliability'),
    ...compare(s, 'published_on', '>=', f.reportedFrom, 'date'),
    ...compare(s, 'published_on', '<=', f.reportedTo, 'date'),
  ];
  if (citation.length) {
    conditions.push(sql`EXISTS (SELECT 1 FROM citation ${ct} JOIN source ${s} ON ${s}.id = ${ct}.source_id
      WHERE ${standingCitation(ct, s, a, cited, q)} AND ${and(citation)})`);
  }
  for (const [bound, op] of [
    ['minSources', sql`>=`],
    ['maxSources', sql`<=`],
  ] as const) {
    const value = f[bound];
    if (value === null || value === undefined) continue;
    if (!Number.isInteger(value) || value < 0) throw badUserInput(`filter.${bound}`, 'must be a count, 0 or more');
    conditions.push(sql`${sourceCount(a, cited, q)} ${op} ${sql.value(value)}`);
  }
  return conditions;
}
