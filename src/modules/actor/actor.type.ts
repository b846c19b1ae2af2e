import { sql, type Sql } from '../../read/fragment';
import { markingAtMost, oneOf, textSearch, visibleRef } from '../../read/filters';
import { byChildKey, byColumn, byParentKey, byTimestamps, connection, one, TypeSpec, through } from '../../read/model';
import type { SqlBuilder } from '../../read/sql';
import type { ItemWrites } from '../../registry/item-mutations';
import { Actor } from './actor.entity';
import { ActorFilter } from './actor.filter';
import { actorDependents, createActor, updateActor } from './actor.write';
import { ActorInput, ActorPatch } from './actor.write-inputs';

const writes: ItemWrites = {
  name: 'Actor',
  noun: 'actor',
  input: ActorInput,
  patch: ActorPatch,
  create: (dataSource, viewer, input) => createActor(dataSource, viewer, input as ActorInput),
  update: (dataSource, viewer, id, patch, version) => updateActor(dataSource, viewer, id, patch, version),
  dependents: actorDependents,
};

/** Actors taking part in the topic with this slug, when the reader may see the topic. */
function inTopicOf(actor: Sql, q: SqlBuilder, slug: string): Sql {
  const [link, topic] = [q.alias(), q.alias()];
  return sql`${actor}.id IN (SELECT ${link}.actor_id FROM topic_actor ${link} JOIN topic ${topic} ON ${topic}.id = ${link}.topic_id
    WHERE ${topic}.slug = ${sql.value(slug)} AND ${q.visible(topic, 'topic')})`;
}

export const actorType: TypeSpec<ActorFilter> = {
  typeName: 'Actor',
  plural: 'actors',
  table: 'actor',
  entity: Actor,
  fields: {
    externalIds: { kind: 'objects', column: 'external_ids' },
    parent: one('Actor', byParentKey('parent_id')),
    parts: connection('Actor', byChildKey('parent_id'), 'Actors that are part of this one (units of an army, agencies of a ministry).'),
    topics: connection('Topic', through('topic_actor', 'actor_id', 'topic_id'), 'Topics this actor takes part in.'),
    capabilities: connection('Capability', byChildKey('actor_id'), 'What this actor can do or has.'),
    challenges: connection('Challenge', byChildKey('actor_id'), 'What holds this actor back.'),
    implications: connection('Implication', through('implication_actor', 'actor_id', 'implication_id'), 'Judgments that bear on this actor.'),
    events: connection('Event', through('event_actor', 'actor_id', 'event_id'), 'Events this actor was involved in.'),
    relations: connection(
      'ActorRelation',
      (actor, rel) => sql`(${rel}.from_actor_id = ${actor}.id OR ${rel}.to_actor_id = ${actor}.id)`,
      'Relations in which this actor is either side.',
    ),
    publishedSources: connection('Source', byChildKey('publisher_id'), 'Sources this actor published.'),
  },
  filter: {
    input: ActorFilter,
    conditions: (f, a, q) => [
      ...(f.topic ? [inTopicOf(a, q, f.topic)] : []),
      ...oneOf(a, 'kind', f.kinds, 'text'),
      ...(f.countryCode ? [sql`${a}.country_code = ${sql.value(f.countryCode.toUpperCase())}`] : []),
      ...textSearch(f.search, sql`${a}.name`, sql`array_to_string(${a}.aliases, ' ')`),
      ...(f.parent ? [sql`${a}.parent_id = ${visibleRef(q, 'actor', f.parent, 'filter.parent', 'Actor')}`] : []),
      ...markingAtMost(a, f.markingAtMost),
    ],
  },
  orderFields: { NAME: byColumn('name', 'text'), ...byTimestamps },
  defaultOrder: { field: 'NAME', direction: 'ASC', description: 'by name' },
  root: {
    byId: { name: 'actor', description: 'One actor by id; NOT_FOUND when it does not exist or is above your clearance.' },
    list: { name: 'actors', description: 'Actors, filtered and paginated.' },
  },
  writes,
};
