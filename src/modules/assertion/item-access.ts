import { badUserInput } from '../../common/errors';
import { Marking, MARKINGS } from '../../common/marking';
import type { Viewer } from '../../common/viewer';
import { PRINCIPAL } from '../identity/api-key.service';

export interface ItemAccess {
  marking: Marking;
  organisation: string | null;
  audience: string[];
}

/**
 * Who may read an item a viewer writes: never above the writer's own clearance; the item belongs to `organisation`
 * (the writer's, for a new item), and an AMBER+STRICT one is read only there; a RED item's audience always includes
 * the writer. Errors name the field under `path`.
 */
export function itemAccessFor(
  viewer: Viewer,
  marking: Marking | null | undefined,
  audience: string[] | null | undefined,
  path: string,
  organisation: string | null = viewer.organisation,
): ItemAccess {
  const m = marking ?? Marking.CLEAR;
  if (MARKINGS.indexOf(m) > MARKINGS.indexOf(viewer.clearance)) {
    throw badUserInput(`${path}.marking`, `cannot write above your own clearance (${viewer.clearance})`);
  }
  if (m === Marking.AMBER_STRICT && !organisation) {
    throw badUserInput(`${path}.marking`, 'an AMBER_STRICT item belongs to an organisation, and you have none');
  }
  const names = [...new Set([...(audience ?? []), ...(m === Marking.RED ? [viewer.principal!] : [])])].sort();
  const bad = names.findIndex((n) => !PRINCIPAL.test(n));
  if (bad >= 0) throw badUserInput(`${path}.audience`, `"${names[bad]}" is not a principal`);
  if (m !== Marking.RED && names.length) throw badUserInput(`${path}.audience`, 'only a RED item has an audience');
  return { marking: m, organisation, audience: names };
}
