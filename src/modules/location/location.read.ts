import { byChildKey, byTimestamps, connection, TableModel } from '../../read/model';

export const locationModel: TableModel = {
  typeName: 'Location',
  table: 'location',
  fields: {
    events: connection('Event', byChildKey('location_id')),
  },
  orderFields: { NAME: { sql: (a) => `${a}.name`, cast: 'text' }, ...byTimestamps },
  defaultOrder: { field: 'NAME', direction: 'ASC' },
};
