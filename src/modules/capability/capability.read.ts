import { byParentKey, byTimestamps, one, TableModel } from '../../read/model';
import { idOf, oneOf } from '../../read/filters';
import { assertionConditions, assertionFields } from '../assertion/assertion.read';
import { quantityField } from '../../read/quantity';
import type { CapabilityFilter } from './capability.inputs';

export const capabilityModel: TableModel<CapabilityFilter> = {
  typeName: 'Capability',
  table: 'capability',
  fields: {
    ...assertionFields('capability_id'),
    actor: one('Actor', byParentKey('actor_id')),
    quantity: quantityField,
  },
  filter: (f, a, sql) => [
    ...assertionConditions(f, a, sql, 'capability_id'),
    ...(f.actor ? [`${a}.actor_id = ${sql.param(idOf(f.actor, 'filter.actor', 'Actor'), 'uuid')}`] : []),
    ...oneOf(a, 'category', sql, f.categories, 'capability_category'),
  ],
  orderFields: { CATEGORY: { sql: (a) => `${a}.category`, cast: 'capability_category' }, ...byTimestamps },
  defaultOrder: { field: 'CATEGORY', direction: 'ASC' },
};
