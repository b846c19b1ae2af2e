import { badUserInput } from '../../common/errors';
import { live } from '../../read/filters';
import { and, sql, type Sql } from '../../read/fragment';
import type { SqlBuilder } from '../../read/sql';
import { registry } from '../../registry/registry';
import { STATEMENT_KINDS, statementKinds, type StatementKind } from '../../registry/statement-kinds';
import type { AggregateFilter } from './aggregate.types';

/** Checks the kinds asked for against the kinds that have the field; no kinds given: all of those. */
export function kindsFor(field: string, having: readonly StatementKind[], asked: StatementKind[] | null | undefined, filter?: AggregateFilter | null) {
  const dated = filter?.occurredFrom != null || filter?.occurredTo != null;
  // Only events have an occurrence day: a filter on it leaves the other kinds out, and asking for them is a mistake.
  const allowed = dated ? having.filter((k) => k === 'EVENT') : having;
  if (asked && asked.length === 0) throw badUserInput('kinds', 'name at least one kind, or leave it out for every kind');
  for (const kind of asked ?? []) {
    if (!allowed.includes(kind)) {
      const why = dated && having.includes(kind) ? 'filter.occurredFrom and occurredTo apply to events only' : `${field} applies to ${having.join(', ')} only`;
      throw badUserInput('kinds', `${kind}: ${why}`);
    }
  }
  if (allowed.length === 0) throw badUserInput('filter.occurredFrom', `${field} does not apply to events`);
  return asked ? allowed.filter((k) => asked.includes(k)) : [...allowed];
}

export const allKinds = statementKinds;

/**
 * The rows of one kind that its list would show the viewer under the same filter: visible, not retracted, and the
 * kind's own filter conditions (those of `capabilities(filter:)` and the like), so counts agree with lists.
 */
export function listed(kind: StatementKind, a: Sql, q: SqlBuilder, filter: AggregateFilter | null | undefined): Sql {
  const { typeName, table } = STATEMENT_KINDS[kind];
  const spec = registry.get(typeName);
  if (!spec?.filter) throw new Error(`statement kind ${kind} has no filter`);
  const f = {
    topic: filter?.topic,
    actor: filter?.actor,
    markingAtMost: filter?.markingAtMost,
    occurredFrom: filter?.occurredFrom,
    occurredTo: filter?.occurredTo,
  };
  return and([q.visible(a, table), live(a), ...spec.filter.conditions(f, a, q)]);
}

/** The actors a statement of each kind is about, as a join of actor rows `x` onto statement `a`. */
export function actorJoin(kind: StatementKind, a: Sql, x: Sql, link: Sql): Sql {
  switch (kind) {
    case 'CAPABILITY':
    case 'CHALLENGE':
      return sql`JOIN actor ${x} ON ${x}.id = ${a}.actor_id`;
    case 'EVENT':
      return sql`JOIN event_actor ${link} ON ${link}.event_id = ${a}.id JOIN actor ${x} ON ${x}.id = ${link}.actor_id`;
    case 'IMPLICATION':
      return sql`JOIN implication_actor ${link} ON ${link}.implication_id = ${a}.id JOIN actor ${x} ON ${x}.id = ${link}.actor_id`;
    case 'RELATION':
      return sql`JOIN actor ${x} ON ${x}.id IN (${a}.from_actor_id, ${a}.to_actor_id)`;
  }
}

/** The standing citations of statement `a` the viewer may read (`c`), with their sources (`s`). */
export function citationJoin(kind: StatementKind, a: Sql, c: Sql, s: Sql, q: SqlBuilder): Sql {
  const cited = STATEMENT_KINDS[kind].cited;
  return sql`JOIN citation ${c} ON ${c}.${sql.identifier(cited)} = ${a}.id JOIN source ${s} ON ${s}.id = ${c}.source_id
    AND ${q.visibleCitation(c, { statement: a, cited, source: s })} AND ${live(c)} AND ${live(s)}`;
}
