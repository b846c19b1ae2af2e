import { byEnum, byTimestamps, list, TableModel, through } from '../../read/model';
import { visibleRef, oneOf } from '../../read/filters';
import { assertionConditions, assertionFields } from '../assertion/assertion.read';
import type { ImplicationFilter } from './implication.inputs';
import { Confidence, Likelihood } from './judgment-scales';

export const implicationModel: TableModel<ImplicationFilter> = {
  typeName: 'Implication',
  table: 'implication',
  fields: {
    ...assertionFields('implication_id'),
    affectedActors: list('Actor', through('implication_actor', 'implication_id', 'actor_id'), (a) => `${a}.name, ${a}.id`),
  },
  filter: (f, a, sql) => [
    ...assertionConditions(f, a, sql, 'implication_id'),
    ...(f.actor
      ? [`${a}.id IN (SELECT implication_id FROM implication_actor WHERE actor_id = ${visibleRef(sql, 'actor', f.actor, 'filter.actor', 'Actor')})`]
      : []),
    ...(f.likelihoodAtLeast ? [`${a}.likelihood >= ${sql.param(f.likelihoodAtLeast, 'likelihood')}`] : []),
    ...(f.confidenceAtLeast ? [`${a}.confidence >= ${sql.param(f.confidenceAtLeast, 'analytic_confidence')}`] : []),
    ...oneOf(a, 'scope', sql, f.scopes, 'implication_scope'),
    ...oneOf(a, 'horizon', sql, f.horizons, 'time_horizon'),
  ],
  orderFields: {
    LIKELIHOOD: byEnum('likelihood', 'likelihood', Likelihood),
    CONFIDENCE: byEnum('confidence', 'analytic_confidence', Confidence),
    ...byTimestamps,
  },
  defaultOrder: { field: 'LIKELIHOOD', direction: 'DESC' },
};
