import type { FieldSpec } from './model';

const columns = {
  low: 'quantity_low',
  best: 'quantity_best',
  high: 'quantity_high',
  unit: 'quantity_unit',
  asStated: 'quantity_as_stated',
};

/** The embedded Quantity columns (quantity_low ...) as one nullable object: `exact` is never null, so it says nothing of presence. */
export const quantityField: FieldSpec = {
  kind: 'embedded',
  columns: { ...columns, exact: 'quantity_exact' },
  present: Object.values(columns),
};
