import { byParentKey, byTimestamps, one, TableModel } from '../../read/model';
import { idOf, oneOf } from '../../read/filters';
import { assertionConditions, assertionFields } from '../assertion/assertion.read';
import { quantityField } from '../../read/quantity';
import type { ChallengeFilter } from './challenge.inputs';

export const challengeModel: TableModel<ChallengeFilter> = {
  typeName: 'Challenge',
  table: 'challenge',
  fields: {
    ...assertionFields('challenge_id'),
    actor: one('Actor', byParentKey('actor_id')),
    quantity: quantityField,
  },
  filter: (f, a, sql) => [
    ...assertionConditions(f, a, sql, 'challenge_id'),
    ...(f.actor ? [`${a}.actor_id = ${sql.param(idOf(f.actor, 'filter.actor', 'Actor'), 'uuid')}`] : []),
    ...oneOf(a, 'category', sql, f.categories, 'challenge_category'),
  ],
  orderFields: { CATEGORY: { sql: (a) => `${a}.category`, cast: 'challenge_category' }, ...byTimestamps },
  defaultOrder: { field: 'CATEGORY', direction: 'ASC' },
};
