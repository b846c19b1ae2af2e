import { live, visibleRef } from '../../read/filters';
import { sql, type Sql } from '../../read/fragment';
import type { SqlBuilder } from '../../read/sql';

/** How far down `includeParts` follows parents: deeper than any real order of battle, and a bound on the recursion. */
export const MAX_PART_DEPTH = 8;

/**
 * A subquery of the ids of the actor `globalId` (when the viewer may see it) and, with `withParts`, of its parts and
 * theirs (actor.parent_id), down to MAX_PART_DEPTH levels. The walk goes through visible, standing actors only: a
 * hidden unit neither counts itself nor leads to the units below it, so it cannot widen what the reader is shown.
 */
export function actorAndParts(q: SqlBuilder, globalId: string, withParts: boolean): Sql {
  const root = visibleRef(q, 'actor', globalId, 'filter.actor', 'Actor');
  if (!withParts) return root;
  const [tree, part] = [q.alias(), q.alias()];
  return sql`(WITH RECURSIVE ${tree}(id, depth) AS (SELECT ${root}, 0
      UNION ALL
      SELECT ${part}.id, ${tree}.depth + 1 FROM ${tree} JOIN actor ${part} ON ${part}.parent_id = ${tree}.id
      WHERE ${tree}.depth < ${sql.int(MAX_PART_DEPTH)} AND ${q.visible(part, 'actor')} AND ${live(part)})
    SELECT ${tree}.id FROM ${tree} WHERE ${tree}.id IS NOT NULL)`;
}
