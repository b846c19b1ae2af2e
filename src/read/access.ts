import { MARKINGS, Marking } from '../common/marking';
import type { Viewer } from '../common/viewer';
import { STATEMENT_KINDS, statementKinds, type CitedColumn, type StatementTable } from '../registry/statement-kinds';
import { sql, textOf, type Sql } from './fragment';

export type { StatementTable } from '../registry/statement-kinds';

const rank = (marking: Marking) => MARKINGS.indexOf(marking);

/**
 * Tables whose rows are marked items (marking, organisation, audience), and `access_key`: the distinct markings of
 * items the aggregate rollup counts under (its organisation is '' for none, which no reader's organisation equals), and
 * `search_entry`: a statement's search row, carrying the statement's own access key.
 */
export type ItemTable =
  'topic' | 'actor' | 'location' | 'source' | 'citation' | StatementTable | 'brief_definition' | 'brief_run' | 'deleted_item' | 'access_key' | 'search_entry';

/** An alias derived from another one (`t3_st` from `t3`), for subqueries of the seam. */
const derived = (alias: Sql, suffix: string) => sql.identifier(`${textOf(alias)}_${suffix}`);

/**
 * The access seam: the SQL condition under which the row `alias` of `table` may be read by `viewer`. Every table the
 * read layer touches is filtered through here, so lists, nested fields, node lookups, counts, briefs and stored runs
 * all obey the same TLP 2.0 rule:
 * - CLEAR, GREEN and AMBER: by clearance (the PostgreSQL enum tlp_marking is ordered, so `<=` compares ranks);
 * - AMBER+STRICT: a reader cleared for it, and only within the item's organisation;
 * - RED: a reader cleared for it, and only when named in the item's audience.
 * A citation is read only by those who may read it, its statement and its source: it quotes the source's words in
 * support of the statement, so re-marking either takes the citation with it, whatever its own marking says.
 */
export function visibleTo(viewer: Viewer, alias: Sql, table: ItemTable): Sql {
  const own = markingRule(viewer, alias);
  if (table !== 'citation') return own;
  const [st, so] = [derived(alias, 'st'), derived(alias, 'so')];
  const statement = statementKinds.map((kind) => {
    const { cited, table: statementTable } = STATEMENT_KINDS[kind];
    const column = sql.identifier(cited);
    return sql`WHEN ${alias}.${column} IS NOT NULL THEN EXISTS (SELECT 1 FROM ${sql.identifier(statementTable)} ${st}
        WHERE ${st}.id = ${alias}.${column} AND ${markingRule(viewer, st)})`;
  });
  const source = sql`EXISTS (SELECT 1 FROM source ${so} WHERE ${so}.id = ${alias}.source_id AND ${markingRule(viewer, so)})`;
  return sql`(${own} AND ${source} AND CASE ${sql.join(statement, ' ')} ELSE FALSE END)`;
}

/** The rows a citation is joined to: its statement (through the citation column `cited`) and its source. */
export interface CitationJoin {
  statement: Sql;
  cited: CitedColumn;
  source: Sql;
}

/**
 * `visibleTo(viewer, alias, 'citation')` for a query that has joined the citation's statement and source already: the
 * same rule (and the join itself), checked on those rows instead of looked up again, so the planner has less to do.
 */
export function citationVisibleWith(viewer: Viewer, alias: Sql, joined: CitationJoin): Sql {
  const cited = sql.identifier(joined.cited);
  return sql`(${markingRule(viewer, alias)} AND ${alias}.${cited} = ${joined.statement}.id AND ${markingRule(viewer, joined.statement)}
    AND ${alias}.source_id = ${joined.source}.id AND ${markingRule(viewer, joined.source)})`;
}

/**
 * The highest marking the viewer reads by clearance alone: every item marked at most this, whatever its organisation
 * and audience, and no other item but by the AMBER+STRICT and RED rules. Aggregates keep totals per such marking.
 */
export function clearedMarking(viewer: Viewer): Marking {
  if (!MARKINGS.includes(viewer.clearance)) throw new Error(`unknown clearance ${String(viewer.clearance)}`);
  return rank(viewer.clearance) < rank(Marking.AMBER) ? viewer.clearance : Marking.AMBER;
}

/** The TLP 2.0 rule on the row's own marking, organisation and audience. */
function markingRule(viewer: Viewer, alias: Sql): Sql {
  const byClearance = clearedMarking(viewer);
  const rules = [sql`${alias}.marking <= ${sql.literal(byClearance)}::tlp_marking`];
  if (rank(viewer.clearance) >= rank(Marking.AMBER_STRICT) && viewer.organisation) {
    rules.push(sql`(${alias}.marking = 'AMBER_STRICT' AND ${alias}.organisation = ${sql.literal(viewer.organisation)})`);
  }
  if (rank(viewer.clearance) >= rank(Marking.RED) && viewer.principal) {
    rules.push(sql`(${alias}.marking = 'RED' AND ${sql.literal(viewer.principal)} = ANY(${alias}.audience))`);
  }
  return rules.length === 1 ? rules[0] : sql`(${sql.join(rules, ' OR ')})`;
}

/**
 * `visibleTo` as condition text, for query builders and the hand-written statements of write services. It carries no
 * parameters: the viewer's values are checked and quoted by the seam itself.
 */
export const visibleCondition = (viewer: Viewer, alias: string, table: ItemTable): string => textOf(visibleTo(viewer, sql.identifier(alias), table));
