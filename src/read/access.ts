import { MARKINGS, Marking } from '../common/marking';
import type { Viewer } from '../common/viewer';

// Organisations and principals are checked to this shape when stored, and quoted here anyway.
const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;
const rank = (marking: Marking) => MARKINGS.indexOf(marking);

/**
 * The access seam: the SQL condition under which the row `alias` may be read by `viewer`. Every table the read layer
 * touches is filtered through here, so lists, nested fields, node lookups, counts, briefs and stored runs all obey the
 * same TLP 2.0 rule:
 * - CLEAR, GREEN and AMBER: by clearance (the PostgreSQL enum tlp_marking is ordered, so `<=` compares ranks);
 * - AMBER+STRICT: a reader cleared for it, and only within the item's organisation;
 * - RED: a reader cleared for it, and only when named in the item's audience.
 */
export function visibleTo(viewer: Viewer, alias: string): string {
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
