import { byChildKey, byEnum, byParentKey, byTimestamps, connection, one, TableModel } from '../../read/model';
import { visibleRef, markingAtMost, oneOf, textSearch } from '../../read/filters';
import type { SqlBuilder } from '../../read/sql';
import { Reliability } from './source-grades';
import type { SourceFilter } from './source.inputs';

const STATEMENT_TABLES = [
  ['capability', 'capability_id'],
  ['challenge', 'challenge_id'],
  ['implication', 'implication_id'],
  ['event', 'event_id'],
  ['actor_relation', 'relation_id'],
] as const;

/** Sources with a visible citation of a visible statement of the topic whose id is `topicId` (SQL). */
export function sourcesOfTopic(topicId: string, source: string, sql: SqlBuilder): string {
  const ct = sql.alias();
  const cited = STATEMENT_TABLES.map(([table, column]) => {
    const st = sql.alias();
    return `${ct}.${column} IN (SELECT ${st}.id FROM ${table} ${st} WHERE ${st}.topic_id = ${topicId} AND ${sql.visible(st, table)})`;
  });
  return `${source}.id IN (SELECT ${ct}.source_id FROM citation ${ct} WHERE ${sql.visible(ct, 'citation')} AND (${cited.join(' OR ')}))`;
}

export const sourceModel: TableModel<SourceFilter> = {
  typeName: 'Source',
  table: 'source',
  fields: {
    publisher: one('Actor', byParentKey('publisher_id')),
    citations: connection('Citation', byChildKey('source_id')),
  },
  filter: (f, a, sql) => {
    const conditions = [
      ...oneOf(a, 'kind', sql, f.kinds, 'source_kind'),
      ...(f.minReliability ? [`${a}.reliability <= ${sql.param(f.minReliability, 'source_reliability')}`] : []),
      ...(f.publisher ? [`${a}.publisher_id = ${visibleRef(sql, 'actor', f.publisher, 'filter.publisher', 'Actor')}`] : []),
      ...(f.publishedFrom ? [`${a}.published_on >= ${sql.param(f.publishedFrom, 'date')}`] : []),
      ...(f.publishedTo ? [`${a}.published_on <= ${sql.param(f.publishedTo, 'date')}`] : []),
      ...textSearch(sql, f.search, `${a}.name`),
      ...markingAtMost(a, sql, f.markingAtMost),
    ];
    if (f.topic) {
      const tp = sql.alias();
      const topicId = `(SELECT ${tp}.id FROM topic ${tp} WHERE ${tp}.slug = ${sql.param(f.topic)} AND ${sql.visible(tp, 'topic')})`;
      conditions.push(sourcesOfTopic(topicId, a, sql));
    }
    return conditions;
  },
  orderFields: {
    NAME: { sql: (a) => `${a}.name`, cast: 'text' },
    PUBLISHED_ON: { sql: (a) => `coalesce(${a}.published_on, '-infinity'::date)`, cast: 'date' },
    RELIABILITY: byEnum('reliability', 'source_reliability', Reliability),
    ...byTimestamps,
  },
  defaultOrder: { field: 'NAME', direction: 'ASC' },
};
