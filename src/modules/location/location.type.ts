import { byChildKey, byColumn, byTimestamps, connection, TypeSpec } from '../../read/model';
import type { ItemWrites } from '../../registry/item-mutations';
import { Location } from './location.entity';
import { createLocation, locationDependents, updateLocation } from './location.write';
import { LocationInput, LocationPatch } from './location.write-inputs';

const writes: ItemWrites = {
  name: 'Location',
  noun: 'place',
  input: LocationInput,
  patch: LocationPatch,
  create: (dataSource, viewer, input) => createLocation(dataSource, viewer, input as LocationInput),
  update: (dataSource, viewer, id, patch, version) => updateLocation(dataSource, viewer, id, patch, version),
  dependents: locationDependents,
};

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
  writes,
};
