import { MARKINGS, Marking } from '../common/marking';
import type { Viewer } from '../common/viewer';

// Organisations and principals are checked to this shape when stored, and quoted here anyway.
const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;
const rank = (marking: Marking) => MARKINGS.indexOf(marking);

/** The statement a citation supports, by the citation column that points at it (exactly one is set). */
export const CITED_STATEMENT = {
  capability_id: 'capability',
  challenge_id: 'challenge',
  implication_id: 'implication',
  event_id: 'event',
  relation_id: 'actor_relation',
} as const;
export type StatementTable = (typeof CITED_STATEMENT)[keyof typeof CITED_STATEMENT];

/** Tables whose rows are marked items (marking, organisation, audience). */
export type ItemTable = 'topic' | 'actor' | 'location' | 'source' | 'citation' | StatementTable | 'brief_definition' | 'brief_run' | 'deleted_item';

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
export function visibleTo(viewer: Viewer, alias: string, table: ItemTable): string {
  const own = markingRule(viewer, alias);
  if (table !== 'citation') return own;
  const statement = Object.entries(CITED_STATEMENT).map(
    ([column, statementTable]) =>
      `WHEN ${alias}.${column} IS NOT NULL THEN EXISTS (SELECT 1 FROM ${statementTable} ${alias}_st
        WHERE ${alias}_st.id = ${alias}.${column} AND ${markingRule(viewer, `${alias}_st`)})`,
  );
  const source = `EXISTS (SELECT 1 FROM source ${alias}_so WHERE ${alias}_so.id = ${alias}.source_id AND ${markingRule(viewer, `${alias}_so`)})`;
  return `(${own} AND ${source} AND CASE ${statement.join(' ')} ELSE FALSE END)`;
}

/** The rows a citation is joined to: its statement (through the citation column `cited`) and its source. */
export interface CitationJoin {
  statement: string;
  cited: keyof typeof CITED_STATEMENT;
  source: string;
}

/**
 * `visibleTo(viewer, alias, 'citation')` for a query that has joined the citation's statement and source already: the
 * same rule (and the join itself), checked on those rows instead of looked up again, so the planner has less to do.
 */
export function citationVisibleWith(viewer: Viewer, alias: string, joined: CitationJoin): string {
  if (!(joined.cited in CITED_STATEMENT)) throw new Error(`no statement column ${joined.cited}`);
  return `(${markingRule(viewer, alias)} AND ${alias}.${joined.cited} = ${joined.statement}.id AND ${markingRule(viewer, joined.statement)}
    AND ${alias}.source_id = ${joined.source}.id AND ${markingRule(viewer, joined.source)})`;
}

/** The TLP 2.0 rule on the row's own marking, organisation and audience. */
function markingRule(viewer: Viewer, alias: string): string {
  if (!MARKINGS.includes(viewer.clearance)) throw new Error(`unknown clearance ${String(viewer.clearance)}`);
  const byClearance = rank(viewer.clearance) < rank(Marking.AMBER) ? viewer.clearance : Marking.AMBER;
  const rules = [`${alias}.marking <= '${byClearance}'::tlp_marking`];
  if (rank(viewer.clearance) >= rank(Marking.AMBER_STRICT) && viewer.organisation) {
    rules.push(`(${alias}.marking = 'AMBER_STRICT' AND ${alias}.organisation = ${literal(viewer.organisation)})`);
  }
  if (rank(viewer.clearance) >= rank(Marking.RED) && viewer.principal) {
    rules.push(`(${alias}.marking = 'RED' AND ${literal(viewer.principal)} = ANY(${alias}.audience))`);
  }
  return rules.length === 1 ? rules[0] : `(${rules.join(' OR ')})`;
}
