import { MARKINGS } from '../../common/marking';
import { clearedMarking } from '../../read/access';
import { and, sql, type Sql } from '../../read/fragment';
import type { SqlBuilder } from '../../read/sql';
import type { StatementKind } from '../../registry/statement-kinds';
import type { AggregateFilter } from './aggregate.types';
import { rollupFilters } from './rollup';
import { allKinds } from './statements';

/** The topic_id of totals over every topic (migration KeepActorTotals). */
const EVERY_TOPIC = '00000000-0000-0000-0000-000000000000';

/**
 * Whether the actor totals answer `distribution(of: ACTOR)`: every kind, and no filter but a topic and a highest
 * marking no lower than the viewer's cleared marking (the totals of that class hold statements marked at most that).
 */
export function actorTotalsAnswer(q: SqlBuilder, kinds: readonly StatementKind[], filter: AggregateFilter | null | undefined): boolean {
  const ceiling = filter?.markingAtMost;
  const cleared = clearedMarking(q.viewer);
  return rollupFilters(filter) && kinds.length === allKinds.length && (!ceiling || MARKINGS.indexOf(ceiling) >= MARKINGS.indexOf(cleared));
}

/**
 * (value, n) rows holding the viewer's top `top` actors (every actor when null) with their exact counts, among other
 * rows the caller's sum and cut leave out. A reader of cleared marking c counts, per actor, its total of class c (the
 * contributions whose statement and actor are marked at most c), the deltas not yet folded into it of level at most c,
 * and the special rows (AMBER+STRICT, RED) whose statement key and actor key it may both see.
 *
 * Exact: an actor with deltas or visible special rows ("odd") is counted in full from all three. Any other actor's
 * count is its total, read from the index in the answer's own order (count, then id), so the first `top` of those are
 * the best of them; together with every odd actor they hold the answer's top. The totals count only actors marked at
 * most c, and each actor is checked visible again here, so a hidden actor never appears.
 */
export function actorTotalRows(q: SqlBuilder, filter: AggregateFilter | null | undefined, top: number | null | undefined): Sql {
  const cls = sql`${sql.literal(clearedMarking(q.viewer))}::tlp_marking`;
  const [tp, d, s, k, k2, o, e, t, t2, x] = [q.alias(), q.alias(), q.alias(), q.alias(), q.alias(), q.alias(), q.alias(), q.alias(), q.alias(), q.alias()];
  const topic = filter?.topic
    ? sql`(SELECT ${tp}.id FROM topic ${tp} WHERE ${tp}.slug = ${sql.value(filter.topic)} AND ${q.visible(tp, 'topic')})`
    : sql`${sql.value(EVERY_TOPIC)}::uuid`;
  const inTopic = (alias: Sql) => (filter?.topic ? [sql`${alias}.topic_id = ${topic}`] : []);
  const ceiling = filter?.markingAtMost ? [sql`${k}.marking <= ${sql.value(filter.markingAtMost, 'tlp_marking')}`] : [];
  const visible = (alias: Sql, ...more: Sql[]) => sql`SELECT ${alias}.id FROM access_key ${alias} WHERE ${and([q.visible(alias, 'access_key'), ...more])}`;
  const seen = (actor: Sql) => sql`EXISTS (SELECT 1 FROM actor ${x} WHERE ${x}.id = ${actor} AND ${q.visible(x, 'actor')})`;
  const limit = top != null ? sql`LIMIT ${sql.int(top)}` : sql``;
  return sql`SELECT * FROM (WITH ${o} AS MATERIALIZED (
      SELECT ${d}.actor_id, ${d}.n FROM actor_total_delta ${d} WHERE ${and([sql`${d}.level <= ${cls}`, ...inTopic(d)])}
      UNION ALL SELECT ${s}.actor_id, ${s}.n FROM actor_total_special ${s}
        WHERE ${and([sql`${s}.st_key IN (${visible(k, ...ceiling)})`, sql`${s}.actor_key IN (${visible(k2)})`, ...inTopic(s)])})
    SELECT ${e}.actor_id AS value, coalesce(${t}.n, 0) + ${e}.n AS n
      FROM (SELECT ${o}.actor_id, sum(${o}.n) AS n FROM ${o} GROUP BY ${o}.actor_id) ${e}
      LEFT JOIN actor_total ${t} ON ${t}.topic_id = ${topic} AND ${t}.class = ${cls} AND ${t}.actor_id = ${e}.actor_id
      WHERE ${seen(sql`${e}.actor_id`)}
    UNION ALL (SELECT ${t2}.actor_id, ${t2}.n FROM actor_total ${t2}
      WHERE ${t2}.topic_id = ${topic} AND ${t2}.class = ${cls} AND ${t2}.n > 0 AND ${t2}.actor_id NOT IN (SELECT ${o}.actor_id FROM ${o})
        AND ${seen(sql`${t2}.actor_id`)}
      ORDER BY ${t2}.n DESC, ${t2}.actor_id ${limit})) ${q.alias()}`;
}
