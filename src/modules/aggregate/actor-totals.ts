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

/** Odd actors (see actorTotalRows) beyond which every total is read. */
const ODD_AT_MOST = 1000;

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
 * count is its total, read from the index in the answer's own order (count, then id) leaving the odd ones out, so
 * its first `top` rows are the best of them; with every odd actor they hold the answer's top. Leaving out is a hashed
 * or a plain lookup, as the planner guesses the odd actors' number: so with more than ODD_AT_MOST of them (a large
 * write not yet folded) every total is read instead, an odd actor's full count taking the place of its total. The
 * totals count only actors marked at most c, and each actor is checked visible again here: a hidden actor never
 * appears.
 */
export function actorTotalRows(q: SqlBuilder, filter: AggregateFilter | null | undefined, top: number | null | undefined): Sql {
  const cls = sql`${sql.literal(clearedMarking(q.viewer))}::tlp_marking`;
  const [tp, d, s, k, k2, o, e, t, t2, t3, x, u] = Array.from({ length: 12 }, () => q.alias());
  const topic = filter?.topic
    ? sql`(SELECT ${tp}.id FROM topic ${tp} WHERE ${tp}.slug = ${sql.value(filter.topic)} AND ${q.visible(tp, 'topic')})`
    : sql`${sql.value(EVERY_TOPIC)}::uuid`;
  const inTopic = (alias: Sql) => (filter?.topic ? [sql`${alias}.topic_id = ${topic}`] : []);
  const ceiling = filter?.markingAtMost ? [sql`${k}.marking <= ${sql.value(filter.markingAtMost, 'tlp_marking')}`] : [];
  const visible = (alias: Sql, ...more: Sql[]) => sql`SELECT ${alias}.id FROM access_key ${alias} WHERE ${and([q.visible(alias, 'access_key'), ...more])}`;
  const seen = (actor: Sql) => sql`EXISTS (SELECT 1 FROM actor ${x} WHERE ${x}.id = ${actor} AND ${q.visible(x, 'actor')})`;
  const limit = top != null ? sql`LIMIT ${sql.int(top)}` : sql``;
  const many = sql`(SELECT count(*) FROM ${e}) > ${sql.int(ODD_AT_MOST)}`;
  const totals = (alias: Sql) => sql`${alias}.topic_id = ${topic} AND ${alias}.class = ${cls} AND ${alias}.n > 0 AND ${seen(sql`${alias}.actor_id`)}`;
  return sql`SELECT * FROM (WITH ${o} AS (
      SELECT ${d}.actor_id, ${d}.n FROM actor_total_delta ${d} WHERE ${and([sql`${d}.level <= ${cls}`, ...inTopic(d)])}
      UNION ALL SELECT ${s}.actor_id, ${s}.n FROM actor_total_special ${s}
        WHERE ${and([sql`${s}.st_key IN (${visible(k, ...ceiling)})`, sql`${s}.actor_key IN (${visible(k2)})`, ...inTopic(s)])}),
    ${e} AS MATERIALIZED (SELECT ${o}.actor_id, sum(${o}.n)::bigint AS n FROM ${o} GROUP BY ${o}.actor_id)
    SELECT ${u}.value, CASE WHEN bool_or(${u}.odd) THEN sum(${u}.n) FILTER (WHERE ${u}.odd) ELSE sum(${u}.n) END AS n FROM (
      SELECT ${e}.actor_id AS value, coalesce(${t}.n, 0) + ${e}.n AS n, true AS odd FROM ${e}
        LEFT JOIN actor_total ${t} ON ${t}.topic_id = ${topic} AND ${t}.class = ${cls} AND ${t}.actor_id = ${e}.actor_id
        WHERE ${seen(sql`${e}.actor_id`)}
      UNION ALL (SELECT ${t2}.actor_id, ${t2}.n, false FROM actor_total ${t2}
        WHERE NOT ${many} AND ${totals(t2)} AND ${t2}.actor_id NOT IN (SELECT ${e}.actor_id FROM ${e}) ORDER BY ${t2}.n DESC, ${t2}.actor_id ${limit})
      UNION ALL SELECT ${t3}.actor_id, ${t3}.n, false FROM actor_total ${t3} WHERE ${many} AND ${totals(t3)}) ${u}
    GROUP BY ${u}.value) ${q.alias()}`;
}
