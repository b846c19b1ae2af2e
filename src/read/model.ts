import type { ClassType } from 'type-graphql';
import type { ItemWrites } from '../registry/item-mutations';
import type { CitedColumn } from '../registry/statement-kinds';
import type { ItemTable } from './access';
import { sql, type Sql } from './fragment';
import type { SqlBuilder } from './sql';

/** SQL condition tying a child row (alias `child`) to its parent row (alias `parent`). */
export type Join = (parent: Sql, child: Sql, q: SqlBuilder) => Sql;

/**
 * How one GraphQL field of a type is read from SQL. Every field of a registered type has one: a field without it is
 * an error when the schema is built (see registry.test), never a guess at a column.
 */
export type FieldSpec =
  | { kind: 'id' }
  /** `type`: its SQL type as the entity declares it (`text`, `integer[]` ...), which the fast path checks. */
  | { kind: 'column'; column: string; type?: string }
  | { kind: 'computed'; sql: (alias: Sql, q: SqlBuilder) => Sql }
  | { kind: 'one'; target: string; join: Join }
  | { kind: 'list'; target: string; join: Join; order: (child: Sql) => Sql }
  /** A statement's citations (through the citation column `cited`), each read with its source joined once. */
  | { kind: 'citations'; cited: CitedColumn; order: (citation: Sql) => Sql }
  | { kind: 'connection'; target: string; join: Join; description: string }
  /** Columns of one object, null when every column of `present` (by default all of them) is null. */
  | { kind: 'embedded'; columns: Record<string, string>; present?: string[] }
  /** A jsonb column holding a list of objects, each selected field read from the key of its name. */
  | { kind: 'objects'; column: string }
  | { kind: 'either'; options: Array<{ target: string; join: Join; when: (alias: Sql) => Sql }> };

export interface OrderField {
  /** A non-null SQL expression over the row, so keyset cursors can compare it. */
  sql: (alias: Sql) => Sql;
  /** Its SQL type: text, smallint, date or timestamptz, or an enum type with its `labels`. */
  cast: string;
  /** The only values a cursor may carry for it: the labels of an enum type, the ranks of a scale. */
  labels?: readonly (string | number)[];
  /** Said in the schema, when the ordering needs explaining. */
  description?: string;
}

/** Root query fields a type gets: one object by global id, and a connection over all of it. */
export interface RootFields {
  byId?: { name: string; description: string };
  list?: { name: string; description: string };
}

/**
 * The one declaration of a GraphQL object type stored in one table: its entity (columns, for migrations and the
 * GraphQL fields), how every other field is read, its filter and orderings, and its root fields. The read model,
 * the connection, order and argument types and the relation resolvers are all derived from it.
 */
export interface TypeSpec<Filter = object> {
  typeName: string;
  /** Lower-case plural, for descriptions ("capabilities"). */
  plural: string;
  table: ItemTable;
  /** The TypeORM entity, also the type-graphql object type. */
  entity: ClassType;
  /** Fields that are not plain columns of the entity, and column fields whose column is not the entity's. */
  fields: Record<string, FieldSpec>;
  /** The connection's `filter` argument: its input type and the SQL conditions of each of its fields. */
  filter?: { input: ClassType; conditions(filter: Filter, alias: Sql, q: SqlBuilder): Sql[] };
  orderFields: Record<string, OrderField>;
  defaultOrder: { field: string; direction: 'ASC' | 'DESC'; description: string };
  /** The name of its order-field enum, when it is not `<typeName>OrderField` (kept as clients know it). */
  orderFieldEnum?: string;
  root?: RootFields;
  /** How it is written: its create, update, retract and restore mutations (and delete, for a statement kind). */
  writes?: ItemWrites;
}

/** A read model: a TypeSpec with every field resolved, columns included. */
export type ReadModel = TypeSpec & { fields: Record<string, FieldSpec> };

export const one = (target: string, join: Join): FieldSpec => ({ kind: 'one', target, join });
export const connection = (target: string, join: Join, description: string): FieldSpec => ({ kind: 'connection', target, join, description });
export const list = (target: string, join: Join, order: (child: Sql) => Sql): FieldSpec => ({ kind: 'list', target, join, order });
export const citationsOf = (cited: CitedColumn, order: (citation: Sql) => Sql): FieldSpec => ({ kind: 'citations', cited, order });
export const computed = (build: (alias: Sql, q: SqlBuilder) => Sql): FieldSpec => ({ kind: 'computed', sql: build });

/** Parent row points at the child: `parent.<fk> = child.id`. */
export const byParentKey =
  (fk: string): Join =>
  (parent, child) =>
    sql`${child}.id = ${parent}.${sql.identifier(fk)}`;
/** Child row points at the parent: `child.<fk> = parent.id`. */
export const byChildKey =
  (fk: string): Join =>
  (parent, child) =>
    sql`${child}.${sql.identifier(fk)} = ${parent}.id`;
/** Through a link table of (ownerColumn, targetColumn) pairs. */
export const through =
  (table: string, ownerColumn: string, targetColumn: string): Join =>
  (parent, child) =>
    sql`${child}.id IN (SELECT ${sql.identifier(targetColumn)} FROM ${sql.identifier(table)} WHERE ${sql.identifier(ownerColumn)} = ${parent}.id)`;

/** Ordering by a column of type `cast`. */
export const byColumn = (column: string, cast: string): OrderField => ({ sql: (a) => sql`${a}.${sql.identifier(column)}`, cast });

/** Ordering by a nullable date column, undated rows first. */
export const byDate = (column: string): OrderField => ({
  sql: (a) => sql`coalesce(${a}.${sql.identifier(column)}, '-infinity'::date)`,
  cast: 'date',
  description: 'Undated ones count as oldest.',
});

/** Ordering by an enum column, whose labels are those of the TypeScript enum `values`. */
export const byEnum = (column: string, cast: string, values: Record<string, string>): OrderField => ({
  ...byColumn(column, cast),
  labels: Object.values(values),
});

/**
 * Ordering by a column holding a term of an open vocabulary: by the term's place in it (vocabulary_term.position),
 * so terms added later sort after today's. The key is a smallint, which a cursor carries and compares; it is the
 * expression of the ordering's index (IndexListOrderings migration), so the vocabulary's name is inlined.
 */
export const byTerm = (column: string, vocabulary: string): OrderField => ({
  sql: (a) => sql`vocabulary_position(${sql.literal(vocabulary)}, ${a}.${sql.identifier(column)})`,
  cast: 'smallint',
  description: 'In the order of its vocabulary.',
});

/**
 * Ordering by a nullable enum column (a judgment's confidence may be not assessed): by the label's place in its enum
 * type (the TypeScript enum lists them in the same order), null before every label. The key is a number, never null,
 * so keyset cursors compare it; a CASE rather than enum_range, which is not immutable, so an index can hold it.
 */
export const byNullableEnum = (column: string, values: Record<string, string>): OrderField => {
  const labels = Object.values(values);
  const ranks = labels.map((label, i) => sql`WHEN ${sql.literal(label)} THEN ${sql.int(i + 1)}`);
  return {
    sql: (a) => sql`(CASE ${a}.${sql.identifier(column)} ${sql.join(ranks, ' ')} ELSE 0 END)`,
    cast: 'smallint',
    labels: [0, ...labels.map((_, i) => i + 1)],
    description: 'Not assessed comes before every grade.',
  };
};

export const byTimestamps: Record<string, OrderField> = {
  CREATED_AT: byColumn('created_at', 'timestamptz'),
  UPDATED_AT: byColumn('updated_at', 'timestamptz'),
};
