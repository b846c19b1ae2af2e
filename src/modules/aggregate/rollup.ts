import { inTopic } from '../../read/filters';
import { and, sql, type Sql } from '../../read/fragment';
import type { SqlBuilder } from '../../read/sql';
import type { StatementKind } from '../../registry/statement-kinds';
import { DistributionField, type AggregateFilter } from './aggregate.types';

/**
 * The fields the rollup counts (migration MaintainAggregateRollup): `distribution` of these reads rollup rows instead
 * of statements, when the filter is absent or names only a topic or a highest marking. The actor and occurrence
 * filters scan the statements (with their indexes), as does CHANGE_DATE. ACTOR has totals of its own (actor-totals.ts).
 */
export const ROLLUP_FIELDS: ReadonlySet<DistributionField> = new Set([
  DistributionField.MARKING,
  DistributionField.CATEGORY,
  DistributionField.RELATION_TYPE,
  DistributionField.LIKELIHOOD,
  DistributionField.CONFIDENCE,
  DistributionField.TOPIC,
  DistributionField.SOURCE,
  DistributionField.RELIABILITY,
  DistributionField.CREDIBILITY,
  DistributionField.ACTOR_KIND,
  DistributionField.PUBLISHER,
]);

/** Whether the rollup can answer under `filter`: only its own dimensions (the statement's topic and marking). */
export const rollupFilters = (filter: AggregateFilter | null | undefined) =>
  filter?.actor == null && filter?.occurredFrom == null && filter?.occurredTo == null;

/** Fields whose rollup value is a row id (uuid as text). */
const ROW_IDS: ReadonlySet<string> = new Set([DistributionField.TOPIC, DistributionField.SOURCE, DistributionField.PUBLISHER]);

/**
 * The rollup rows of `field` and `kinds` that `q.viewer` may count, as (value, n): their statement's access key is
 * visible (and marked at most `filter.markingAtMost`), and for citation fields one of the ways of seeing the citation
 * is (every key of one of the set's alternatives; an actor's key is one of them for actor fields). A topic's bucket needs the topic visible, as the scan's join does.
 * Rows are deltas: the caller sums n.
 */
export function rollupRows(q: SqlBuilder, field: string, kinds: readonly StatementKind[], filter: AggregateFilter | null | undefined): Sql {
  const [r, k, k2, x, t] = [q.alias(), q.alias(), q.alias(), q.alias(), q.alias()];
  const ceiling = filter?.markingAtMost ? [sql`${k}.marking <= ${sql.value(filter.markingAtMost, 'tlp_marking')}`] : [];
  const conditions = [
    sql`${r}.field = ${sql.value(field)}`,
    sql`${r}.kind = ANY(${sql.value(kinds, 'text[]')})`,
    ...inTopic(r, q, filter?.topic),
    sql`${r}.st_key IN (SELECT ${k}.id FROM access_key ${k} WHERE ${and([q.visible(k, 'access_key'), ...ceiling])})`,
    sql`(${r}.set_id IS NULL OR ${r}.set_id IN (SELECT ${x}.set_id FROM access_alternative ${x}
      WHERE ${x}.keys <@ ARRAY(SELECT ${k2}.id FROM access_key ${k2} WHERE ${q.visible(k2, 'access_key')})))`,
  ];
  if (field === String(DistributionField.TOPIC)) conditions.push(sql`${r}.value::uuid IN (SELECT ${t}.id FROM topic ${t} WHERE ${q.visible(t, 'topic')})`);
  const value = ROW_IDS.has(field) ? sql`${r}.value::uuid` : sql`${r}.value`;
  return sql`SELECT ${value} AS value, ${r}.n FROM aggregate_rollup ${r} WHERE ${and(conditions)}`;
}
