import { byChildKey, byColumn, byTimestamps, connection, TypeSpec } from '../../read/model';
import { Location } from './location.entity';

export const locationType: TypeSpec = {
  typeName: 'Location',
  plural: 'locations',
  table: 'location',
  entity: Location,
  fields: {
    events: connection('Event', byChildKey('location_id'), 'Events that happened here.'),
  },
  orderFields: { NAME: byColumn('name', 'text'), ...byTimestamps },
  defaultOrder: { field: 'NAME', direction: 'ASC', description: 'by name' },
};
