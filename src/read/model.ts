import type { ItemTable } from './access';
import type { SqlBuilder } from './sql';

/** SQL condition tying a child row (alias `child`) to its parent row (alias `parent`). */
export type Join = (parent: string, child: string, sql: SqlBuilder) => string;

/** How one GraphQL field of a type is read from SQL. Fields not described read the snake_case column of their name. */
export type FieldSpec =
  | { kind: 'column'; column: string }
  | { kind: 'computed'; sql: (alias: string, sql: SqlBuilder) => string }
  | { kind: 'one'; target: string; join: Join }
  | { kind: 'list'; target: string; join: Join; order: (child: string) => string }
  | { kind: 'connection'; target: string; join: Join }
  | { kind: 'embedded'; columns: Record<string, string> }
  | { kind: 'either'; options: Array<{ target: string; join: Join; when: (alias: string) => string }> };

export interface OrderField {
  /** A non-null SQL expression over the row, so keyset cursors can compare it. */
  sql: (alias: string) => string;
  /** Its SQL type: text, smallint, date or timestamptz, or an enum type with its `labels`. */
  cast: string;
  /** The labels of an enum type: the only values a cursor may carry for it. */
  labels?: readonly string[];
}

/** The read side of one GraphQL object type stored in one table. */
export interface TableModel<Filter = never> {
  typeName: string;
  table: ItemTable;
  fields: Record<string, FieldSpec>;
  /** SQL conditions for a connection's `filter` argument. */
  filter?: (filter: Filter, alias: string, sql: SqlBuilder) => string[];
  orderFields: Record<string, OrderField>;
  defaultOrder: { field: string; direction: 'ASC' | 'DESC' };
}

export const one = (target: string, join: Join): FieldSpec => ({ kind: 'one', target, join });
export const connection = (target: string, join: Join): FieldSpec => ({ kind: 'connection', target, join });
export const list = (target: string, join: Join, order: (child: string) => string): FieldSpec => ({ kind: 'list', target, join, order });

/** Parent row points at the child: `parent.<fk> = child.id`. */
export const byParentKey = (fk: string): Join => (parent, child) => `${child}.id = ${parent}.${fk}`;
/** Child row points at the parent: `child.<fk> = parent.id`. */
export const byChildKey = (fk: string): Join => (parent, child) => `${child}.${fk} = ${parent}.id`;
/** Through a link table of (ownerColumn, targetColumn) pairs. */
export const through =
  (table: string, ownerColumn: string, targetColumn: string): Join =>
  (parent, child) =>
    `${child}.id IN (SELECT ${targetColumn} FROM ${table} WHERE ${ownerColumn} = ${parent}.id)`;

/** Ordering by an enum column, whose labels are those of the TypeScript enum `values`. */
export const byEnum = (column: string, cast: string, values: Record<string, string>): OrderField => ({
  sql: (a) => `${a}.${column}`,
  cast,
  labels: Object.values(values),
});

export const byTimestamps: Record<string, OrderField> = {
  CREATED_AT: { sql: (a) => `${a}.created_at`, cast: 'timestamptz' },
  UPDATED_AT: { sql: (a) => `${a}.updated_at`, cast: 'timestamptz' },
};
