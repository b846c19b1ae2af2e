import { MARKINGS } from '../common/marking';
import type { Viewer } from '../common/viewer';

/**
 * The access seam: the SQL condition under which the row `alias` may be read by `viewer`.
 * Every table the read layer touches is filtered through here, so lists, nested fields, node lookups and
 * counts all obey the same rule. The PostgreSQL enum tlp_marking is ordered, so `<=` compares TLP ranks.
 */
export function visibleTo(viewer: Viewer, alias: string): string {
  if (!MARKINGS.includes(viewer.clearance)) throw new Error(`unknown clearance ${String(viewer.clearance)}`);
  return `${alias}.marking <= '${viewer.clearance}'::tlp_marking`;
}
