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
 * (the writer's, for a new item; a change never moves it), and an AMBER+STRICT one is read only there, by the writer
 * too; a RED item's audience always includes the writer. Errors name the field under `path`.
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
  // Whoever writes an item can still read it, so an AMBER+STRICT item stays within the writer's organisation.
  if (m === Marking.AMBER_STRICT && (!organisation || organisation !== viewer.organisation)) {
    const why = !viewer.organisation
      ? 'an AMBER_STRICT item belongs to an organisation, and you have none'
      : organisation
        ? 'an AMBER_STRICT item is read only within its organisation, which is not yours'
        : 'this item belongs to no organisation, so it cannot be AMBER_STRICT';
    throw badUserInput(`${path}.marking`, why);
  }
  const names = [...new Set([...(audience ?? []), ...(m === Marking.RED ? [viewer.principal!] : [])])].sort();
  const bad = names.findIndex((n) => !PRINCIPAL.test(n));
  if (bad >= 0) throw badUserInput(`${path}.audience`, `"${names[bad]}" is not a principal`);
  if (m !== Marking.RED && names.length) throw badUserInput(`${path}.audience`, 'only a RED item has an audience');
  return { marking: m, organisation, audience: names };
}
