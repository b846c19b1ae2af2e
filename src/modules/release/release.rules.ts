import { v4 as uuid } from 'uuid';
import type { EntityManager } from 'typeorm';
import { badUserInput, forbidden } from '../../common/errors';
import { Marking, MARKINGS } from '../../common/marking';
import type { Viewer } from '../../common/viewer';
import type { ItemTable } from '../../read/access';
import type { ItemAccess } from '../assertion/item-access';
import { hasRole, Role } from '../identity/role';

const rank = (m: Marking) => MARKINGS.indexOf(m);

/**
 * Whether going from `from` to `to` lets someone read the item who could not before: a lower marking, an AMBER+STRICT
 * item moved to another organisation, a RED audience with a new name, or an AMBER+STRICT item made RED for a principal
 * not known to be of its organisation. Anything else only narrows who may read it.
 */
export function isRelease(from: ItemAccess, to: ItemAccess): boolean {
  if (rank(to.marking) < rank(from.marking)) return true;
  if (from.marking === Marking.AMBER_STRICT) {
    if (to.marking === Marking.AMBER_STRICT) return to.organisation !== from.organisation;
    if (to.marking === Marking.RED) return to.audience.some((p) => !p.startsWith(`${from.organisation}/`));
  }
  if (from.marking === Marking.RED && to.marking === Marking.RED) return to.audience.some((p) => !from.audience.includes(p));
  return false;
}

/** Whether every reader of `access` may read at least one of the items it was derived from. */
export const withinDerivation = (derivedFrom: ItemAccess[], access: ItemAccess) => !derivedFrom.length || derivedFrom.some((d) => !isRelease(d, access));

export interface ReleaseRequest {
  table: ItemTable;
  id: string;
  from: ItemAccess;
  to: ItemAccess;
  /** Who may read what the item was derived from (read only for a release). */
  derivedFrom: () => Promise<ItemAccess[]>;
  reason: string | null | undefined;
  /** Where the reason goes in the input, for errors. */
  path: string;
}

/**
 * A release is a decision: it needs the RELEASER role (or ADMIN) within the item's organisation (an item of no
 * organisation is released by an ADMIN), a reason, and never reaches readers beyond those of what the item was derived
 * from. It is recorded in the same transaction as the change. Returns whether the change was a release.
 */
export async function checkAndRecordRelease(em: EntityManager, viewer: Viewer, r: ReleaseRequest): Promise<boolean> {
  if (!isRelease(r.from, r.to)) return false;
  if (!hasRole(viewer.role, Role.RELEASER)) {
    throw forbidden('lowering a marking or widening an audience is a release: it needs the RELEASER role');
  }
  const owner = r.from.organisation;
  if (owner ? viewer.organisation !== owner : !hasRole(viewer.role, Role.ADMIN)) {
    throw forbidden(owner ? `only a releaser of ${owner} may release this item` : 'an item of no organisation is released by an ADMIN');
  }
  const reason = r.reason?.trim();
  if (!reason) throw badUserInput(`${r.path}.releaseReason`, 'a release needs the reason for it');
  if (!withinDerivation(await r.derivedFrom(), r.to)) {
    throw badUserInput(`${r.path}.marking`, 'it cannot be released beyond the readers of what it was derived from');
  }
  await em.query(
    `INSERT INTO release (id, item_table, item_id, from_marking, to_marking, from_organisation, to_organisation,
       from_audience, to_audience, reason, released_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [uuid(), r.table, r.id, r.from.marking, r.to.marking, r.from.organisation, r.to.organisation, r.from.audience, r.to.audience, reason, viewer.principal],
  );
  return true;
}
