import type { FieldSpec } from './model';

/** The embedded Quantity columns (quantity_low ...) as one nullable object. */
export const quantityField: FieldSpec = {
  kind: 'embedded',
  columns: {
    low: 'quantity_low',
    best: 'quantity_best',
    high: 'quantity_high',
    unit: 'quantity_unit',
    asStated: 'quantity_as_stated',
  },
};
