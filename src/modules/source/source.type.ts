import { sql, type Sql } from '../../read/fragment';
import { compare, live, markingAtMost, oneOf, textSearch, visibleRef } from '../../read/filters';
import { byChildKey, byColumn, byDate, byEnum, byParentKey, byTimestamps, connection, one, TypeSpec } from '../../read/model';
import type { SqlBuilder } from '../../read/sql';
import { STATEMENT_KINDS, statementKinds } from '../../registry/statement-kinds';
import { Reliability } from './source-grades';
import type { ItemWrites } from '../../registry/item-mutations';
import { Source } from './source.entity';
import { SourceFilter } from './source.filter';
import { createSource, sourceDependents, updateSource } from './source.write';
import { SourceInput, SourcePatch } from './source.write-inputs';

const writes: ItemWrites = {
  name: 'Source',
  noun: 'source',
  input: SourceInput,
  patch: SourcePatch,
  create: (dataSource, viewer, input) => createSource(dataSource, viewer, input as SourceInput),
  update: (dataSource, viewer, id, patch, version) => updateSource(dataSource, viewer, id, patch, version),
  dependents: sourceDependents,
};

/** Sources with a visible citation of a visible statement, of any kind, of the topic whose id is `topicId`; both standing. */
export function sourcesOfTopic(topicId: Sql, source: Sql, q: SqlBuilder): Sql {
  const ct = q.alias();
  const cited = statementKinds.map((kind) => {
    const { table, cited: column } = STATEMENT_KINDS[kind];
    const st = q.alias();
    return sql`${ct}.${sql.identifier(column)} IN (SELECT ${st}.id FROM ${sql.identifier(table)} ${st} WHERE ${st}.topic_id = ${topicId} AND ${live(st)} AND ${q.visible(st, table)})`;
  });
  return sql`${source}.id IN (SELECT ${ct}.source_id FROM citation ${ct} WHERE ${q.visible(ct, 'citation')} AND ${live(ct)} AND (${sql.join(cited, ' OR ')}))`;
}

export const sourceType: TypeSpec<SourceFilter> = {
  typeName: 'Source',
  plural: 'sources',
  table: 'source',
  entity: Source,
  fields: {
    publisher: one('Actor', byParentKey('publisher_id')),
    relays: one('Source', byParentKey('relays_id')),
    relayedBy: connection(
      'Source',
      byChildKey('relays_id'),
      'Sources that pass on this one’s reporting (those you may see): one voice with it, never its corroboration.',
    ),
    citations: connection('Citation', byChildKey('source_id'), 'Every statement this source is cited for.'),
  },
  filter: {
    input: SourceFilter,
    conditions: (f, a, q) => {
      const conditions = [
        ...oneOf(a, 'kind', f.kinds, 'text'),
        ...compare(a, 'reliability', '<=', f.minReliability, 'source_reliability'),
        ...(f.publisher ? [sql`${a}.publisher_id = ${visibleRef(q, 'actor', f.publisher, 'filter.publisher', 'Actor')}`] : []),
        ...compare(a, 'published_on', '>=', f.publishedFrom, 'date'),
        ...compare(a, 'published_on', '<=', f.publishedTo, 'date'),
        ...textSearch(f.search, sql`${a}.name`),
        ...markingAtMost(a, f.markingAtMost),
      ];
      if (f.topic) {
        const tp = q.alias();
        const topicId = sql`(SELECT ${tp}.id FROM topic ${tp} WHERE ${tp}.slug = ${sql.value(f.topic)} AND ${q.visible(tp, 'topic')})`;
        conditions.push(sourcesOfTopic(topicId, a, q));
      }
      return conditions;
    },
  },
  orderFields: {
    NAME: byColumn('name', 'text'),
    PUBLISHED_ON: byDate('published_on'),
    RELIABILITY: byEnum('reliability', 'source_reliability', Reliability),
    ...byTimestamps,
  },
  defaultOrder: { field: 'NAME', direction: 'ASC', description: 'by name' },
  root: {
    byId: { name: 'source', description: 'One source by id; NOT_FOUND when it does not exist or is above your clearance.' },
    list: { name: 'sources', description: 'Sources, filtered and paginated.' },
  },
  writes,
};
