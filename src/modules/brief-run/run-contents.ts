import { MARKINGS, type Marking } from '../../common/marking';
import type { Viewer } from '../../common/viewer';
import { visibleTo } from '../../read/access';
import { compile, sql, textOf, type Sql } from '../../read/fragment';
import { STATEMENT_KINDS, statementKinds, statementTables, type StatementTable } from '../../registry/statement-kinds';
import type { BriefData } from '../brief/brief.read';

/** The ids of everything a stored run shows, by table. */
export type RunContents = Record<ContentTable, string[]>;

const TABLES = ['topic', 'actor', 'location', 'source', 'citation', ...statementTables] as const;
type ContentTable = (typeof TABLES)[number];

const STATEMENT_TABLE = Object.fromEntries(statementKinds.map((k) => [k, STATEMENT_KINDS[k].table])) as Record<string, StatementTable>;

export function contentsOf(data: BriefData): RunContents {
  const sets = Object.fromEntries(TABLES.map((t) => [t, new Set<string>()])) as Record<ContentTable, Set<string>>;
  data.topics.forEach((t) => sets.topic.add(t.id));
  data.actors.forEach((a) => sets.actor.add(a.id));
  for (const s of data.statements) {
    sets[STATEMENT_TABLE[s.kind]].add(s.id);
    for (const actor of [s.actor, s.counterpart, ...(s.affectedActors ?? [])]) if (actor) sets.actor.add(actor.id);
    if (s.location) sets.location.add(s.location.id);
    for (const c of s.citations) {
      sets.citation.add(c.id);
      sets.source.add(c.source.id);
      // A publisher is shown (by name) only when the reader may see it.
      if (c.source.publisherId && c.source.publisherMarking) sets.actor.add(c.source.publisherId);
      // An original, with its publisher, is shown only when the reader may see it (brief.read.ts).
      if (c.original) sets.source.add(c.original.id);
      if (c.original?.publisherId && c.original.publisherMarking) sets.actor.add(c.original.publisherId);
    }
  }
  return Object.fromEntries(TABLES.map((t) => [t, [...sets[t]].sort()])) as RunContents;
}

/**
 * SQL condition: everything the run `alias` shows is, as marked today, within the viewer's clearance. A stored run
 * is a copy: when one of its items is later marked higher, the copy is hidden from readers below the new marking; when
 * one is deleted, it stays hidden from those the item's last marking excluded.
 */
export const contentsVisibleTo = (viewer: Viewer, alias: string): string => {
  const run = sql.identifier(alias);
  const conditions = TABLES.map((table) => {
    const [t, current, deleted] = [sql.identifier(table), sql.identifier(`c_${table}`), sql.identifier(`d_${table}`)];
    const ids = sql`SELECT jsonb_array_elements_text(coalesce(${run}.contents -> ${sql.key(table)}, '[]'::jsonb))::uuid`;
    return sql`NOT EXISTS (SELECT 1 FROM ${t} ${current} WHERE ${current}.id IN (${ids}) AND (${visibleTo(viewer, current, table)}) IS NOT TRUE)
      AND NOT EXISTS (SELECT 1 FROM deleted_item ${deleted} WHERE ${deleted}.id IN (${ids}) AND ${deletedFrom(table, deleted)}
        AND (${visibleTo(viewer, deleted, 'deleted_item')}) IS NOT TRUE)`;
  });
  return textOf(sql.join(conditions, ' AND '));
};

/** The deleted row `alias` was of `table`, and has not been stored again since (a fixture reload keeps its ids). */
const deletedFrom = (table: ContentTable, alias: Sql) =>
  sql`${alias}.item_table = ${sql.key(table)} AND NOT EXISTS (SELECT 1 FROM ${sql.identifier(table)} l WHERE l.id = ${alias}.id)`;

/**
 * Statements among `ids` that `viewer` may not read today, or that were deleted while marked beyond the viewer. A
 * relation is hidden when it or either of its actors is, since its text names both.
 */
export async function hiddenFrom(
  query: (text: string, params: unknown[]) => Promise<Array<{ id: string }>>,
  viewer: Viewer,
  ids: string[],
): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const idList = sql.value(ids, 'uuid[]');
  const [x, d, r, f, t] = ['x', 'd', 'r', 'f', 't'].map((a) => sql.identifier(a));
  const hidden = (table: StatementTable) =>
    sql`SELECT x.id FROM ${sql.identifier(table)} x WHERE x.id = ANY(${idList}) AND (${visibleTo(viewer, x, table)}) IS NOT TRUE`;
  const deleted = (table: StatementTable) =>
    sql`SELECT d.id FROM deleted_item d WHERE d.id = ANY(${idList}) AND ${deletedFrom(table, d)} AND (${visibleTo(viewer, d, 'deleted_item')}) IS NOT TRUE`;
  const relation = sql`SELECT r.id FROM actor_relation r JOIN actor f ON f.id = r.from_actor_id JOIN actor t ON t.id = r.to_actor_id
       WHERE r.id = ANY(${idList}) AND (${visibleTo(viewer, r, 'actor_relation')} AND ${visibleTo(viewer, f, 'actor')} AND ${visibleTo(viewer, t, 'actor')}) IS NOT TRUE`;
  const statement = compile(
    sql.join([...statementTables.filter((table) => table !== 'actor_relation').map(hidden), relation, ...statementTables.map(deleted)], '\nUNION ALL\n'),
  );
  const rows = await query(statement.text, statement.values);
  return new Set(rows.map((row) => row.id));
}

/** Adds statements by global id (the ones a delta names) to what a run shows. */
export function withStatements(contents: RunContents, items: Array<{ id: string; kind: string }>, idOf: (globalId: string) => string): RunContents {
  const more = { ...contents };
  for (const item of items) more[STATEMENT_TABLE[item.kind]] = [...new Set([...more[STATEMENT_TABLE[item.kind]], idOf(item.id)])].sort();
  return more;
}

export const above = (marking: Marking, clearance: Marking) => MARKINGS.indexOf(marking) > MARKINGS.indexOf(clearance);
