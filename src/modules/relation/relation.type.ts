import { sql } from '../../read/fragment';
import { oneOf, visibleRef } from '../../read/filters';
import { byDate, byParentKey, byTerm, byTimestamps, one, TypeSpec } from '../../read/model';
import type { ItemWrites } from '../../registry/item-mutations';
import { assertionConditions, assertionFields } from '../assertion/assertion.read';
import { Vocabulary } from '../vocabulary/vocabularies';
import { ActorRelation } from './relation.entity';
import { RelationFilter } from './relation.filter';
import { createRelation, deleteRelation, updateRelation } from './relation.write';
import { ActorRelationInput, ActorRelationPatch } from './relation.write-inputs';

const writes: ItemWrites = {
  name: 'Relation',
  noun: 'relation between actors',
  input: ActorRelationInput,
  patch: ActorRelationPatch,
  create: (dataSource, viewer, input) => createRelation(dataSource, viewer, input as ActorRelationInput),
  update: (dataSource, viewer, id, patch, version) => updateRelation(dataSource, viewer, id, patch, version),
  remove: deleteRelation,
};

export const relationType: TypeSpec<RelationFilter> = {
  typeName: 'ActorRelation',
  plural: 'relations',
  table: 'actor_relation',
  entity: ActorRelation,
  fields: {
    ...assertionFields('relation_id'),
    from: one('Actor', byParentKey('from_actor_id')),
    to: one('Actor', byParentKey('to_actor_id')),
  },
  filter: {
    input: RelationFilter,
    conditions: (f, a, q) => {
      const conditions = [...assertionConditions(f, a, q, 'relation_id'), ...oneOf(a, 'type', f.types, 'text')];
      if (f.actor) {
        const actor = visibleRef(q, 'actor', f.actor, 'filter.actor', 'Actor');
        conditions.push(sql`(${a}.from_actor_id = ${actor} OR ${a}.to_actor_id = ${actor})`);
      }
      if (f.validOn) {
        const day = sql.value(f.validOn, 'date');
        conditions.push(sql`coalesce(${a}.valid_from, '-infinity') <= ${day} AND coalesce(${a}.valid_to, 'infinity') >= ${day}`);
      }
      return conditions;
    },
  },
  orderFields: { TYPE: byTerm('type', Vocabulary.RELATION_TYPE), VALID_FROM: byDate('valid_from'), ...byTimestamps },
  defaultOrder: { field: 'TYPE', direction: 'ASC', description: 'by type' },
  orderFieldEnum: 'RelationOrderField',
  root: { list: { name: 'relations', description: 'Relations between actors; filtered and paginated.' } },
  writes,
};
