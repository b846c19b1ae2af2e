import type { EntityManager } from 'typeorm';
import { STATEMENT_KINDS, statementKinds, type CitedColumn, type StatementTable } from '../../registry/statement-kinds';
import type { ItemAccess } from '../assertion/item-access';

// What an item was derived from bounds who may ever read it: a citation quotes its source, and a statement says what
// its sources say. A citation's own marking guards the link (who cites what), not the content.

/** The sources a statement rests on: those of its supporting citations, or of its denials when nothing supports it. */
export function statementEvidence(citations: Array<{ source: ItemAccess; denies: boolean }>): ItemAccess[] {
  const supporting = citations.filter((c) => !c.denies);
  return (supporting.length ? supporting : citations).map((c) => c.source);
}

const CITED_COLUMN = Object.fromEntries(statementKinds.map((k) => [STATEMENT_KINDS[k].table, STATEMENT_KINDS[k].cited])) as Record<StatementTable, CitedColumn>;

/**
 * The evidence of a stored statement, from its citations and their sources as they are now: its standing citations,
 * or all of them should none stand (no evidence at all would bound nothing).
 */
export async function storedEvidence(em: EntityManager, table: StatementTable, id: string): Promise<ItemAccess[]> {
  const rows: Array<{ source: ItemAccess; denies: boolean; standing: boolean }> = await em.query(
    `SELECT json_build_object('marking', s.marking, 'organisation', s.organisation, 'audience', s.audience) AS source, c.verb = 'DENIES' AS denies,
       c.retracted_at IS NULL AS standing
     FROM citation c JOIN source s ON s.id = c.source_id WHERE c.${CITED_COLUMN[table]} = $1`,
    [id],
  );
  const standing = rows.filter((r) => r.standing);
  return statementEvidence(standing.length ? standing : rows);
}
