import type { DataSource } from 'typeorm';
import { badUserInput } from '../../common/errors';
import { quantityColumns } from '../../common/quantity.inputs';
import type { Viewer } from '../../common/viewer';
import { referenceTo } from '../item/item.write';
import { actorRef, createStatement, deleteStatement, statementText, updateStatement } from '../assertion/assertion.write';
import { DatePrecision } from './event.entity';
import type { EventInput, EventPatch } from './event.write-inputs';

const target = (globalId: string, version?: number | null) => ({ table: 'event' as const, typeName: 'Event', globalId, version });

/** "In August 2024" is stored as 2024-08-01: a month's or year's date must be its first day. */
function checkDate(occurredOn: string, precision: DatePrecision) {
  if (precision === DatePrecision.MONTH && !occurredOn.endsWith('-01')) throw badUserInput('input.occurredOn', 'a MONTH date is the first of its month');
  if (precision === DatePrecision.YEAR && !occurredOn.endsWith('-01-01')) throw badUserInput('input.occurredOn', 'a YEAR date is 1 January');
}

export function createEvent(dataSource: DataSource, viewer: Viewer, input: EventInput): Promise<string> {
  checkDate(input.occurredOn, input.precision);
  const actors = (input.actors ?? []).map((id, i) => actorRef(id, `input.actors[${i}]`));
  const location = input.location ? referenceTo('location', 'Location', input.location, 'input.location') : null;
  return createStatement(dataSource, viewer, {
    table: 'event',
    cited: 'event_id',
    topic: input.topic,
    marking: input.marking,
    audience: input.audience,
    citations: input.citations,
    columns: {
      title: statementText(input.title, 'input.title'),
      description: input.description?.trim() || null,
      occurred_on: input.occurredOn,
      precision: input.precision,
      location_id: location?.id ?? null,
      ...quantityColumns(input.quantity, 'input.quantity'),
    },
    references: [...actors, ...(location ? [location] : [])],
    link: ['event_actor', 'event_id', actors.map((a) => a.id)],
  });
}

export async function updateEvent(dataSource: DataSource, viewer: Viewer, globalId: string, patch: EventPatch, version?: number | null) {
  const columns: Record<string, unknown> = {};
  if (patch.title != null) columns.title = statementText(patch.title, 'input.title');
  if ((patch.occurredOn == null) !== (patch.precision == null)) throw badUserInput('input.occurredOn', 'give the date and its precision together');
  if (patch.occurredOn != null && patch.precision != null) {
    checkDate(patch.occurredOn, patch.precision);
    Object.assign(columns, { occurred_on: patch.occurredOn, precision: patch.precision });
  }
  return updateStatement(dataSource, viewer, target(globalId, version), columns, patch);
}

export const deleteEvent = (dataSource: DataSource, viewer: Viewer, globalId: string) => deleteStatement(dataSource, viewer, target(globalId));
