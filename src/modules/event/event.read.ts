import { byParentKey, byTimestamps, list, one, TableModel, through } from '../../read/model';
import { visibleRef } from '../../read/filters';
import { quantityField } from '../../read/quantity';
import { assertionConditions, assertionFields } from '../assertion/assertion.read';
import type { EventFilter } from './event.inputs';

export const eventModel: TableModel<EventFilter> = {
  typeName: 'Event',
  table: 'event',
  fields: {
    ...assertionFields('event_id'),
    location: one('Location', byParentKey('location_id')),
    actors: list('Actor', through('event_actor', 'event_id', 'actor_id'), (a) => `${a}.name, ${a}.id`),
    quantity: quantityField,
  },
  filter: (f, a, sql) => [
    ...assertionConditions(f, a, sql, 'event_id'),
    ...(f.actor
      ? [`${a}.id IN (SELECT event_id FROM event_actor WHERE actor_id = ${visibleRef(sql, 'actor', f.actor, 'filter.actor', 'Actor')})`]
      : []),
    ...(f.location ? [`${a}.location_id = ${visibleRef(sql, 'location', f.location, 'filter.location', 'Location')}`] : []),
    ...(f.occurredFrom ? [`${a}.occurred_on >= ${sql.param(f.occurredFrom, 'date')}`] : []),
    ...(f.occurredTo ? [`${a}.occurred_on <= ${sql.param(f.occurredTo, 'date')}`] : []),
  ],
  orderFields: { OCCURRED_ON: { sql: (a) => `${a}.occurred_on`, cast: 'date' }, ...byTimestamps },
  defaultOrder: { field: 'OCCURRED_ON', direction: 'ASC' },
};
