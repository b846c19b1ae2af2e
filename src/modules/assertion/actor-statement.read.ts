import { byEnum, byParentKey, byTimestamps, one, TableModel } from '../../read/model';
import { visibleRef, oneOf } from '../../read/filters';
import { quantityField } from '../../read/quantity';
import { assertionConditions, assertionFields, CitedColumn } from './assertion.read';
import type { AssertionFilter } from './assertion.inputs';

/** Filters of statements about one actor, in a category: capabilities and challenges. */
export interface ActorStatementFilter extends AssertionFilter {
  actor?: string | null;
  categories?: string[] | null;
}

/**
 * The read model of a statement about one actor with a category and a quantity (capability, challenge); its
 * categories are the enum type `categoryType`, with the labels of `categories`.
 */
export function actorStatementModel(
  typeName: string,
  table: 'capability' | 'challenge',
  cited: CitedColumn,
  categoryType: string,
  categories: Record<string, string>,
): TableModel<ActorStatementFilter> {
  return {
    typeName,
    table,
    fields: {
      ...assertionFields(cited),
      actor: one('Actor', byParentKey('actor_id')),
      quantity: quantityField,
    },
    filter: (f, a, sql) => [
      ...assertionConditions(f, a, sql, cited),
      ...(f.actor ? [`${a}.actor_id = ${visibleRef(sql, 'actor', f.actor, 'filter.actor', 'Actor')}`] : []),
      ...oneOf(a, 'category', sql, f.categories, categoryType),
    ],
    orderFields: { CATEGORY: byEnum('category', categoryType, categories), ...byTimestamps },
    defaultOrder: { field: 'CATEGORY', direction: 'ASC' },
  };
}
