import { badUserInput } from '../common/errors';
import { Marking } from '../common/marking';
import { fromGlobalId } from './global-id';
import type { ItemTable } from './access';
import type { SqlBuilder } from './sql';

// Small SQL pieces that filters of several types share.

export const markingAtMost = (alias: string, sql: SqlBuilder, marking?: Marking | null) =>
  marking ? [`${alias}.marking <= ${sql.param(marking, 'tlp_marking')}`] : [];

export const oneOf = (alias: string, column: string, sql: SqlBuilder, values: string[] | null | undefined, cast: string) =>
  values?.length ? [`${alias}.${column} = ANY(${sql.param(values, `${cast}[]`)})`] : [];

/** The uuid behind a global id given in a filter, checked to be of the expected type. */
export const idOf = (globalId: string, argumentName: string, typeName: string) =>
  fromGlobalId(globalId, argumentName, [typeName]).id;

/**
 * SQL for the id a filter refers to, or NULL when the viewer may not see that row: filtering by a hidden item's id
 * then matches nothing, exactly as for an id that does not exist, so no count tells it is there.
 */
export function visibleRef(sql: SqlBuilder, table: ItemTable, globalId: string, argumentName: string, typeName: string): string {
  const ref = sql.alias();
  return `(SELECT ${ref}.id FROM ${table} ${ref} WHERE ${ref}.id = ${sql.param(idOf(globalId, argumentName, typeName), 'uuid')} AND ${sql.visible(ref, table)})`;
}

/** Rows of a topic given by slug, only when the reader may see the topic. */
export const inTopic = (alias: string, sql: SqlBuilder, slug?: string | null) => {
  if (!slug) return [];
  const topic = sql.alias();
  return [`${alias}.topic_id IN (SELECT ${topic}.id FROM topic ${topic} WHERE ${topic}.slug = ${sql.param(slug)} AND ${sql.visible(topic, 'topic')})`];
};

export const textSearch = (sql: SqlBuilder, search: string | null | undefined, ...columns: string[]) => {
  if (!search) return [];
  const pattern = sql.param(`%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  return [`(${columns.map((c) => `${c} ILIKE ${pattern}`).join(' OR ')})`];
};

export function credibilityBound(value: number | null | undefined, argumentName: string): number | null {
  if (value === null || value === undefined) return null;
  if (!Number.isInteger(value) || value < 1 || value > 6) throw badUserInput(argumentName, 'credibility is graded 1 to 6');
  return value;
}
