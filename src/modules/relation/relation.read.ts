import { byEnum, byParentKey, byTimestamps, one, TableModel } from '../../read/model';
import { visibleRef, oneOf } from '../../read/filters';
import { assertionConditions, assertionFields } from '../assertion/assertion.read';
import { RelationType } from './relation.entity';
import type { RelationFilter } from './relation.inputs';

export const relationModel: TableModel<RelationFilter> = {
  typeName: 'ActorRelation',
  table: 'actor_relation',
  fields: {
    ...assertionFields('relation_id'),
    from: one('Actor', byParentKey('from_actor_id')),
    to: one('Actor', byParentKey('to_actor_id')),
  },
  filter: (f, a, sql) => {
    const conditions = [...assertionConditions(f, a, sql, 'relation_id'), ...oneOf(a, 'type', sql, f.types, 'relation_type')];
    if (f.actor) {
      const actor = visibleRef(sql, 'actor', f.actor, 'filter.actor', 'Actor');
      conditions.push(`(${a}.from_actor_id = ${actor} OR ${a}.to_actor_id = ${actor})`);
    }
    if (f.validOn) {
      const day = sql.param(f.validOn, 'date');
      conditions.push(`coalesce(${a}.valid_from, '-infinity') <= ${day} AND coalesce(${a}.valid_to, 'infinity') >= ${day}`);
    }
    return conditions;
  },
  orderFields: {
    TYPE: byEnum('type', 'relation_type', RelationType),
    VALID_FROM: { sql: (a) => `coalesce(${a}.valid_from, '-infinity'::date)`, cast: 'date' },
    ...byTimestamps,
  },
  defaultOrder: { field: 'TYPE', direction: 'ASC' },
};
