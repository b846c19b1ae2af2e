import { byChildKey, byParentKey, byTimestamps, connection, one, TableModel, through } from '../../read/model';
import { visibleRef, markingAtMost, oneOf, textSearch } from '../../read/filters';
import type { SqlBuilder } from '../../read/sql';
import type { ActorFilter } from './actor.inputs';

/** Actors taking part in the topic with this slug, when the reader may see the topic. */
function inTopicOf(actor: string, sql: SqlBuilder, slug: string): string {
  const [link, topic] = [sql.alias(), sql.alias()];
  return `${actor}.id IN (SELECT ${link}.actor_id FROM topic_actor ${link} JOIN topic ${topic} ON ${topic}.id = ${link}.topic_id
    WHERE ${topic}.slug = ${sql.param(slug)} AND ${sql.visible(topic, 'topic')})`;
}

export const actorModel: TableModel<ActorFilter> = {
  typeName: 'Actor',
  table: 'actor',
  fields: {
    parent: one('Actor', byParentKey('parent_id')),
    parts: connection('Actor', byChildKey('parent_id')),
    topics: connection('Topic', through('topic_actor', 'actor_id', 'topic_id')),
    capabilities: connection('Capability', byChildKey('actor_id')),
    challenges: connection('Challenge', byChildKey('actor_id')),
    implications: connection('Implication', through('implication_actor', 'actor_id', 'implication_id')),
    events: connection('Event', through('event_actor', 'actor_id', 'event_id')),
    relations: connection('ActorRelation', (actor, rel) => `(${rel}.from_actor_id = ${actor}.id OR ${rel}.to_actor_id = ${actor}.id)`),
    publishedSources: connection('Source', byChildKey('publisher_id')),
  },
  filter: (f, a, sql) => [
    ...(f.topic ? [inTopicOf(a, sql, f.topic)] : []),
    ...oneOf(a, 'kind', sql, f.kinds, 'actor_kind'),
    ...(f.countryCode ? [`${a}.country_code = ${sql.param(f.countryCode.toUpperCase())}`] : []),
    ...textSearch(sql, f.search, `${a}.name`, `array_to_string(${a}.aliases, ' ')`),
    ...(f.parent ? [`${a}.parent_id = ${visibleRef(sql, 'actor', f.parent, 'filter.parent', 'Actor')}`] : []),
    ...markingAtMost(a, sql, f.markingAtMost),
  ],
  orderFields: { NAME: { sql: (a) => `${a}.name`, cast: 'text' }, ...byTimestamps },
  defaultOrder: { field: 'NAME', direction: 'ASC' },
};
