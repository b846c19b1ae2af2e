import { inTopic } from '../../read/filters';
import { and, sql, type Sql } from '../../read/fragment';
import type { SqlBuilder } from '../../read/sql';

/**
 * The counts of statement changes `q.viewer` may see (migration CountChangesByAccess), as (day, n) rows to sum: those
 * of the tables named, on days [lo, hi), in `topic` when given. A row counts when its combination of keys passes the
 * feed's rule (change.read.ts, shownTo), evaluated once per combination on the keys the reader may see.
 */
export function changeRollupRows(q: SqlBuilder, tables: string[], lo: Sql, hi: Sql, topic: string | null | undefined): Sql {
  const [r, x, k] = [q.alias(), q.alias(), q.alias()];
  // change_key rows are access keys (the seam's rule on their marking, organisation and audience).
  const seen = sql`ARRAY(SELECT ${k}.id FROM change_key ${k} WHERE ${q.visible(k, 'access_key')})`;
  const [after, before] = [sql`${x}.a_key = ANY(${seen})`, sql`${x}.b_key = ANY(${seen})`];
  // (now_visible OR was_visible) AND (readable today OR (was_visible AND NOT now_visible)); today: any key of P.
  const shown = sql`(${after} OR ${before}) AND (${x}.p_keys && ${seen} OR (${before} AND NOT ${after}))`;
  const conditions = [
    sql`${r}.item_table = ANY(${sql.value(tables, 'text[]')})`,
    sql`${r}.day >= ${lo}::date AND ${r}.day < ${hi}::date`,
    ...inTopic(r, q, topic),
    // The few combinations shown, listed once (an array): each row is then only looked up in it.
    sql`${r}.access = ANY(ARRAY(SELECT ${x}.id FROM change_access ${x} WHERE ${shown}))`,
  ];
  return sql`SELECT ${r}.day, ${r}.n FROM change_rollup ${r} WHERE ${and(conditions)}`;
}
