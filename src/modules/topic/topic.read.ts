import { byChildKey, byTimestamps, connection, TableModel, through } from '../../read/model';
import { textSearch } from '../../read/filters';
import { sourcesOfTopic } from '../source/source.read';
import type { TopicFilter } from './topic.inputs';

export const topicModel: TableModel<TopicFilter> = {
  typeName: 'Topic',
  table: 'topic',
  fields: {
    actors: connection('Actor', through('topic_actor', 'topic_id', 'actor_id')),
    capabilities: connection('Capability', byChildKey('topic_id')),
    challenges: connection('Challenge', byChildKey('topic_id')),
    implications: connection('Implication', byChildKey('topic_id')),
    events: connection('Event', byChildKey('topic_id')),
    relations: connection('ActorRelation', byChildKey('topic_id')),
    sources: connection('Source', (topic, source, sql) => sourcesOfTopic(`${topic}.id`, source, sql)),
  },
  filter: (f, a, sql) => textSearch(sql, f.search, `${a}.title`, `${a}.summary`),
  orderFields: {
    TITLE: { sql: (a) => `${a}.title`, cast: 'text' },
    STARTS_ON: { sql: (a) => `coalesce(${a}.starts_on, '-infinity'::date)`, cast: 'date' },
    ...byTimestamps,
  },
  defaultOrder: { field: 'TITLE', direction: 'ASC' },
};
