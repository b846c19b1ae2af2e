import { sql } from '../../read/fragment';
import { visibleRef } from '../../read/filters';
import { byParentKey, computed, byTimestamps, list, one, TypeSpec, through } from '../../read/model';
import { quantityField } from '../../read/quantity';
import type { ItemWrites } from '../../registry/item-mutations';
import { assertionConditions, assertionFields } from '../assertion/assertion.read';
import { occurredEndSql, occurredInSql, occurredOrderSql } from './event.dates';
import { Event } from './event.entity';
import { EventFilter } from './event.filter';
import { createEvent, deleteEvent, updateEvent } from './event.write';
import { EventInput, EventPatch } from './event.write-inputs';

const writes: ItemWrites = {
  name: 'Event',
  noun: 'event',
  input: EventInput,
  patch: EventPatch,
  create: (dataSource, viewer, input) => createEvent(dataSource, viewer, input as EventInput),
  update: (dataSource, viewer, id, patch, version) => updateEvent(dataSource, viewer, id, patch, version),
  remove: deleteEvent,
};

export const eventType: TypeSpec<EventFilter> = {
  typeName: 'Event',
  plural: 'events',
  table: 'event',
  entity: Event,
  fields: {
    ...assertionFields('event_id'),
    location: one('Location', byParentKey('location_id')),
    actors: list('Actor', through('event_actor', 'event_id', 'actor_id'), (a) => sql`${a}.name, ${a}.id`),
    quantity: quantityField,
    occurredFrom: computed((a) => sql`${a}.occurred_on`),
    occurredTo: computed((a) => occurredEndSql(a)),
  },
  filter: {
    input: EventFilter,
    conditions: (f, a, q) => [
      ...assertionConditions(f, a, q, 'event_id'),
      ...(f.actor ? [sql`${a}.id IN (SELECT event_id FROM event_actor WHERE actor_id = ${visibleRef(q, 'actor', f.actor, 'filter.actor', 'Actor')})`] : []),
      ...(f.location ? [sql`${a}.location_id = ${visibleRef(q, 'location', f.location, 'filter.location', 'Location')}`] : []),
      ...occurredInSql(a, f.occurredFrom ? sql.value(f.occurredFrom, 'date') : null, f.occurredTo ? sql.value(f.occurredTo, 'date') : null),
    ],
  },
  orderFields: {
    OCCURRED_ON: {
      sql: occurredOrderSql,
      cast: 'timestamptz',
      description: 'By the last day the date may be (a year-only event after the dated ones of its year), then the more precise first.',
    },
    ...byTimestamps,
  },
  defaultOrder: { field: 'OCCURRED_ON', direction: 'ASC', description: 'in the order they happened' },
  root: { list: { name: 'events', description: 'Events, in the order they happened; filtered and paginated.' } },
  writes,
};
