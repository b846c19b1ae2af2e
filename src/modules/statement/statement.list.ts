import type { FieldNode, GraphQLObjectType } from 'graphql';
import { badUserInput } from '../../common/errors';
import type { Compiler } from '../../read/compile';
import { live } from '../../read/filters';
import { and, sql, type Sql } from '../../read/fragment';
import { byTimestamps } from '../../read/model';
import { keysetPageSql, orderingOf, type ConnectionArgs, type PageSource, type PartReading } from '../../read/page';
import { STATEMENT_KINDS, statementKinds, type StatementKind } from '../../registry/statement-kinds';
import { actorAndParts } from './actor-parts';
import type { StatementFilter } from './statement.filter';

/** How `statements` may be ordered: by what every kind has. */
export const statementOrdering = {
  typeName: 'Statement',
  orderFields: byTimestamps,
  defaultOrder: { field: 'CREATED_AT', direction: 'DESC' as const, description: 'newest first' },
};

/** Statement `a` of `kind` is about one of the actors `ids` (a subquery), as the kind's own `actor` filter means it. */
function about(kind: StatementKind, a: Sql, ids: Sql): Sql {
  switch (kind) {
    case 'CAPABILITY':
    case 'CHALLENGE':
      return sql`${a}.actor_id IN ${ids}`;
    case 'EVENT':
      return sql`${a}.id IN (SELECT event_id FROM event_actor WHERE actor_id IN ${ids})`;
    case 'IMPLICATION':
      return sql`${a}.id IN (SELECT implication_id FROM implication_actor WHERE actor_id IN ${ids})`;
    case 'RELATION':
      return sql`(${a}.from_actor_id IN ${ids} OR ${a}.to_actor_id IN ${ids})`;
  }
}

/**
 * `statements` as one SQL expression: every kind's rows the viewer may see (through the access seam), standing unless
 * retracted ones are asked for, under the filter each kind's own list applies, as (kind, id, sort key) UNION ALL, then
 * one keyset page of that. Only the page's rows are compiled into objects, each looked up in its own table and
 * through the seam again.
 */
export function statementsSql(c: Compiler, connectionType: GraphQLObjectType, nodes: readonly FieldNode[], args: ConnectionArgs): Sql {
  const q = c.q;
  const filter = (args.filter ?? {}) as StatementFilter;
  const ordering = orderingOf(statementOrdering, args.orderBy);
  if (filter.kinds && filter.kinds.length === 0) throw badUserInput('filter.kinds', 'name at least one kind, or leave it out for every kind');
  if (filter.includeParts && !filter.actor) throw badUserInput('filter.includeParts', 'parts of which actor? give filter.actor too');
  const kinds = statementKinds.filter((k) => !filter.kinds || filter.kinds.includes(k));
  const actors = filter.actor ? actorAndParts(q, filter.actor, Boolean(filter.includeParts)) : undefined;
  // The filters every kind's list shares, with their meaning there; the actor is matched against the set above.
  const { kinds: _kinds, actor: _actor, includeParts: _parts, ...shared } = filter;

  /** One kind's rows; with `part`, only those of the part of a page it reads, from its own index on the ordering. */
  const branch = (kind: StatementKind, part?: PartReading) => {
    const { typeName, table } = STATEMENT_KINDS[kind];
    const spec = c.model(typeName);
    if (!spec.filter) throw new Error(`statement kind ${kind} has no filter`);
    const row = q.alias();
    const where = and([
      q.visible(row, table),
      ...(args.includeRetracted ? [] : [live(row)]),
      ...spec.filter.conditions(shared, row, q),
      ...(actors ? [about(kind, row, actors)] : []),
    ]);
    const select = sql`SELECT ${sql.key(kind)}::text AS kind, ${row}.id, ${ordering.order.sql(row)} AS sort_key FROM ${sql.identifier(table)} ${row}`;
    if (!part) return sql`${select} WHERE ${where}`;
    const { bounds, orderBy, limit } = part(ordering.order.sql(row), sql`${row}.id`);
    return sql`(${select} WHERE ${and([where, ...bounds])} ORDER BY ${orderBy} LIMIT ${limit})`;
  };

  const u = q.alias();
  const node = (nodeNodes: readonly FieldNode[]) => {
    const cases = kinds.map((kind) => {
      const { typeName, table } = STATEMENT_KINDS[kind];
      const row = q.alias();
      const object = c.object(c.model(typeName), row, nodeNodes);
      return sql`WHEN ${sql.key(kind)} THEN (SELECT ${object} FROM ${sql.identifier(table)} ${row} WHERE ${row}.id = ${u}.id AND ${q.visible(row, table)})`;
    });
    return sql`CASE ${u}.kind ${sql.join(cases, ' ')} END`;
  };
  const source: PageSource = {
    from: sql`(${sql.join(
      kinds.map((kind) => branch(kind)),
      '\nUNION ALL\n',
    )}) ${u}`,
    alias: u,
    // PostgreSQL does not merge the kinds' index scans of a union whose branches have conditions: each reads its page.
    narrowed: (part) =>
      sql`(${sql.join(
        kinds.map((kind) => branch(kind, part)),
        '\nUNION ALL\n',
      )}) ${u}`,
    where: sql`TRUE`,
    key: sql`${u}.sort_key`,
    id: sql`${u}.id`,
    node,
  };
  return keysetPageSql(c, connectionType, nodes, args, ordering, source);
}
