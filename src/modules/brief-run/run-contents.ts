import { MARKINGS, type Marking } from '../../common/marking';
import type { Viewer } from '../../common/viewer';
import { visibleTo, type ItemTable, type StatementTable } from '../../read/access';
import type { BriefData } from '../brief/brief.read';

/** The ids of everything a stored run shows, by table. */
export type RunContents = Record<ContentTable, string[]>;

const TABLES = ['topic', 'actor', 'location', 'source', 'citation', 'capability', 'challenge', 'implication', 'event', 'actor_relation'] as const;
type ContentTable = (typeof TABLES)[number] & ItemTable;

const STATEMENT_TABLE: Record<string, StatementTable> = {
  CAPABILITY: 'capability',
  CHALLENGE: 'challenge',
  IMPLICATION: 'implication',
  EVENT: 'event',
  RELATION: 'actor_relation',
};

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
    }
  }
  return Object.fromEntries(TABLES.map((t) => [t, [...sets[t]].sort()])) as RunContents;
}

/**
 * SQL condition: everything the run `alias` shows is, as marked today, within the viewer's clearance. A stored run
 * is a copy: when one of its items is later marked higher, the copy is hidden from readers below the new marking; when
 * one is deleted, it stays hidden from those the item's last marking excluded.
 */
export const contentsVisibleTo = (viewer: Viewer, alias: string) =>
  TABLES.map((table) => {
    const ids = `SELECT jsonb_array_elements_text(coalesce(${alias}.contents -> '${table}', '[]'::jsonb))::uuid`;
    return `NOT EXISTS (SELECT 1 FROM ${table} c_${table} WHERE c_${table}.id IN (${ids}) AND (${visibleTo(viewer, `c_${table}`, table)}) IS NOT TRUE)
      AND NOT EXISTS (SELECT 1 FROM deleted_item d_${table} WHERE d_${table}.id IN (${ids}) AND ${deletedFrom(table, `d_${table}`)}
        AND (${visibleTo(viewer, `d_${table}`, 'deleted_item')}) IS NOT TRUE)`;
  }).join(' AND ');

/** The deleted row `alias` was of `table`, and has not been stored again since (a fixture reload keeps its ids). */
const deletedFrom = (table: ContentTable, alias: string) =>
  `${alias}.item_table = '${table}' AND NOT EXISTS (SELECT 1 FROM ${table} l WHERE l.id = ${alias}.id)`;

/**
 * Statements among `ids` that `viewer` may not read today, or that were deleted while marked beyond the viewer. A
 * relation is hidden when it or either of its actors is, since its text names both.
 */
export async function hiddenFrom(query: (sql: string, params: unknown[]) => Promise<Array<{ id: string }>>, viewer: Viewer, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const hidden = (table: StatementTable) => `SELECT x.id FROM ${table} x WHERE x.id = ANY($1::uuid[]) AND (${visibleTo(viewer, 'x', table)}) IS NOT TRUE`;
  const deleted = (table: StatementTable) =>
    `SELECT d.id FROM deleted_item d WHERE d.id = ANY($1::uuid[]) AND ${deletedFrom(table, 'd')} AND (${visibleTo(viewer, 'd', 'deleted_item')}) IS NOT TRUE`;
  const rows = await query(
    `${Object.values(STATEMENT_TABLE).filter((t) => t !== 'actor_relation').map(hidden).join(' UNION ALL ')}
     UNION ALL SELECT r.id FROM actor_relation r JOIN actor f ON f.id = r.from_actor_id JOIN actor t ON t.id = r.to_actor_id
       WHERE r.id = ANY($1::uuid[]) AND (${visibleTo(viewer, 'r', 'actor_relation')} AND ${visibleTo(viewer, 'f', 'actor')} AND ${visibleTo(viewer, 't', 'actor')}) IS NOT TRUE
     UNION ALL ${Object.values(STATEMENT_TABLE).map(deleted).join(' UNION ALL ')}`,
    [ids],
  );
  return new Set(rows.map((r) => r.id));
}

/** Adds statements by global id (the ones a delta names) to what a run shows. */
export function withStatements(contents: RunContents, items: Array<{ id: string; kind: string }>, idOf: (globalId: string) => string): RunContents {
  const more = { ...contents };
  for (const item of items) more[STATEMENT_TABLE[item.kind]] = [...new Set([...more[STATEMENT_TABLE[item.kind]], idOf(item.id)])].sort();
  return more;
}

export const above = (marking: Marking, clearance: Marking) => MARKINGS.indexOf(marking) > MARKINGS.indexOf(clearance);
