import { sql } from '../../read/fragment';
import { compare, oneOf, visibleRef } from '../../read/filters';
import { byDate, byEnum, byNullableEnum, byTimestamps, list, TypeSpec, through } from '../../read/model';
import { quantityField } from '../../read/quantity';
import type { ItemWrites } from '../../registry/item-mutations';
import { assertionConditions, assertionFields } from '../assertion/assertion.read';
import { Implication } from './implication.entity';
import { ImplicationFilter } from './implication.filter';
import { createImplication, deleteImplication, updateImplication } from './implication.write';
import { ImplicationInput, ImplicationPatch } from './implication.write-inputs';
import { Confidence, Likelihood } from './judgment-scales';

const writes: ItemWrites = {
  name: 'Implication',
  noun: 'analytic judgment',
  input: ImplicationInput,
  patch: ImplicationPatch,
  create: (dataSource, viewer, input) => createImplication(dataSource, viewer, input as ImplicationInput),
  update: (dataSource, viewer, id, patch, version) => updateImplication(dataSource, viewer, id, patch, version),
  remove: deleteImplication,
};

export const implicationType: TypeSpec<ImplicationFilter> = {
  typeName: 'Implication',
  plural: 'judgments',
  table: 'implication',
  entity: Implication,
  fields: {
    ...assertionFields('implication_id'),
    affectedActors: list('Actor', through('implication_actor', 'implication_id', 'actor_id'), (a) => sql`${a}.name, ${a}.id`),
    quantity: quantityField,
  },
  filter: {
    input: ImplicationFilter,
    conditions: (f, a, q) => [
      ...assertionConditions(f, a, q, 'implication_id'),
      ...(f.actor
        ? [sql`${a}.id IN (SELECT implication_id FROM implication_actor WHERE actor_id = ${visibleRef(q, 'actor', f.actor, 'filter.actor', 'Actor')})`]
        : []),
      ...compare(a, 'likelihood', '>=', f.likelihoodAtLeast, 'likelihood'),
      ...compare(a, 'confidence', '>=', f.confidenceAtLeast, 'analytic_confidence'),
      ...oneOf(a, 'scope', f.scopes, 'implication_scope'),
      ...oneOf(a, 'horizon', f.horizons, 'time_horizon'),
      ...compare(a, 'as_of', '>=', f.asOfFrom, 'date'),
      ...compare(a, 'as_of', '<=', f.asOfTo, 'date'),
    ],
  },
  orderFields: {
    LIKELIHOOD: byEnum('likelihood', 'likelihood', Likelihood),
    CONFIDENCE: byNullableEnum('confidence', Confidence),
    AS_OF: byDate('as_of'),
    ...byTimestamps,
  },
  defaultOrder: { field: 'LIKELIHOOD', direction: 'DESC', description: 'most likely first' },
  root: { list: { name: 'implications', description: 'Analytic judgments, most likely first; filtered and paginated.' } },
  writes,
};
