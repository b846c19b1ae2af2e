import { sql } from '../../read/fragment';
import { textSearch } from '../../read/filters';
import { byChildKey, byColumn, byDate, byTimestamps, connection, TypeSpec, through } from '../../read/model';
import { sourcesOfTopic } from '../source/source.type';
import type { ItemWrites } from '../../registry/item-mutations';
import { Topic } from './topic.entity';
import { TopicFilter } from './topic.filter';
import { createTopic, topicDependents, updateTopic } from './topic.write';
import { TopicInput, TopicPatch } from './topic.write-inputs';

const writes: ItemWrites = {
  name: 'Topic',
  noun: 'topic',
  input: TopicInput,
  patch: TopicPatch,
  create: (dataSource, viewer, input) => createTopic(dataSource, viewer, input as TopicInput),
  update: (dataSource, viewer, id, patch, version) => updateTopic(dataSource, viewer, id, patch, version),
  dependents: topicDependents,
};

export const topicType: TypeSpec<TopicFilter> = {
  typeName: 'Topic',
  plural: 'topics',
  table: 'topic',
  entity: Topic,
  fields: {
    actors: connection('Actor', through('topic_actor', 'topic_id', 'actor_id'), 'The actors of this topic.'),
    capabilities: connection('Capability', byChildKey('topic_id'), 'Capabilities stated in this topic.'),
    challenges: connection('Challenge', byChildKey('topic_id'), 'Challenges stated in this topic.'),
    implications: connection('Implication', byChildKey('topic_id'), 'Analytic judgments of this topic.'),
    events: connection('Event', byChildKey('topic_id'), 'Events of this topic: its timeline.'),
    relations: connection('ActorRelation', byChildKey('topic_id'), 'Relations between actors stated in this topic.'),
    sources: connection('Source', (topic, source, q) => sourcesOfTopic(sql`${topic}.id`, source, q), 'Sources cited by the statements of this topic.'),
  },
  filter: {
    input: TopicFilter,
    conditions: (f, a) => textSearch(f.search, sql`${a}.title`, sql`${a}.summary`),
  },
  orderFields: { TITLE: byColumn('title', 'text'), STARTS_ON: byDate('starts_on'), ...byTimestamps },
  defaultOrder: { field: 'TITLE', direction: 'ASC', description: 'by title' },
  root: { list: { name: 'topics', description: 'Topics, filtered and paginated.' } },
  writes,
};
