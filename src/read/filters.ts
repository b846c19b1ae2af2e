import { badUserInput } from '../common/errors';
import { Marking } from '../common/marking';
import { fromGlobalId } from './global-id';
import type { ItemTable } from './access';
import { sql, type Sql } from './fragment';
import type { SqlBuilder } from './sql';

// Small SQL pieces that filters of several types share. Each returns the conditions it adds: none when its field is
// not given.

/** The row has not been retracted: what lists, counts and briefs show. */
export const live = (alias: Sql) => sql`${alias}.retracted_at IS NULL`;

export const markingAtMost = (alias: Sql, marking?: Marking | null) => (marking ? [sql`${alias}.marking <= ${sql.value(marking, 'tlp_marking')}`] : []);

export const oneOf = (alias: Sql, column: string, values: string[] | null | undefined, cast: string) =>
  values?.length ? [sql`${alias}.${sql.identifier(column)} = ANY(${sql.value(values, `${cast}[]`)})`] : [];

const OPERATORS = { '>=': sql`>=`, '<=': sql`<=`, '=': sql`=` } as const;

/** `column <op> value` when the value is given. */
export const compare = (alias: Sql, column: string, op: keyof typeof OPERATORS, value: unknown, cast?: string) =>
  value === null || value === undefined ? [] : [sql`${alias}.${sql.identifier(column)} ${OPERATORS[op]} ${sql.value(value, cast)}`];

/** The uuid behind a global id given in a filter, checked to be of the expected type. */
export const idOf = (globalId: string, argumentName: string, typeName: string) => fromGlobalId(globalId, argumentName, [typeName]).id;

/**
 * SQL for the id a filter refers to, or NULL when the viewer may not see that row: filtering by a hidden item's id
 * then matches nothing, exactly as for an id that does not exist, so no count tells it is there.
 */
export function visibleRef(q: SqlBuilder, table: ItemTable, globalId: string, argumentName: string, typeName: string): Sql {
  const ref = q.alias();
  return sql`(SELECT ${ref}.id FROM ${sql.identifier(table)} ${ref} WHERE ${ref}.id = ${sql.value(idOf(globalId, argumentName, typeName), 'uuid')} AND ${q.visible(ref, table)})`;
}

/** Rows of a topic given by slug, only when the reader may see the topic. */
export const inTopic = (alias: Sql, q: SqlBuilder, slug?: string | null) => {
  if (!slug) return [];
  const topic = q.alias();
  return [sql`${alias}.topic_id IN (SELECT ${topic}.id FROM topic ${topic} WHERE ${topic}.slug = ${sql.value(slug)} AND ${q.visible(topic, 'topic')})`];
};

export const textSearch = (search: string | null | undefined, ...columns: Sql[]) => {
  if (!search) return [];
  const pattern = sql.value(`%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  return [
    sql`(${sql.join(
      columns.map((c) => sql`${c} ILIKE ${pattern}`),
      ' OR ',
    )})`,
  ];
};

export function credibilityBound(value: number | null | undefined, argumentName: string): number | null {
  if (value === null || value === undefined) return null;
  if (!Number.isInteger(value) || value < 1 || value > 6) throw badUserInput(argumentName, 'credibility is graded 1 to 6');
  return value;
}
