import { Index } from 'typeorm';

/** The name of the index a list ordering reads: `<table>_order_<field>` (IndexListOrderings migration). */
export const orderIndexName = (table: string, field: string) => `${table}_order_${field.toLowerCase()}`;

/**
 * The indexes, one per ordering `fields` of the table's lists, each on the ordering's key and the id: made by their
 * migration on expressions the entity cannot describe, so schema synchronisation leaves them alone.
 */
export const orderIndexes =
  (table: string, fields: readonly string[]): ClassDecorator =>
  (target) => {
    for (const field of fields) Index(orderIndexName(table, field), { synchronize: false })(target);
  };
