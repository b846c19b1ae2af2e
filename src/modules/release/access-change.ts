import type { EntityManager } from 'typeorm';
import { forbidden } from '../../common/errors';
import { Marking } from '../../common/marking';
import type { Viewer } from '../../common/viewer';
import type { ItemTable } from '../../read/access';
import { itemAccessFor, type ItemAccess } from '../assertion/item-access';
import { checkAndRecordRelease } from './release.rules';

/** A change of who may read an item: a new marking and/or audience, and the reason when it is a release. */
export interface AccessChange {
  marking?: Marking | null;
  audience?: string[] | null;
  releaseReason?: string | null;
}

export const changesAccess = (change: AccessChange) => change.marking != null || change.audience != null;

/**
 * The access an item has after `change`, checked as on creation: only writers of its organisation change it, it stays
 * in its organisation, and one that lets more people read it is a release (release.rules.ts), recorded in the
 * transaction of `em`.
 */
export async function changedAccess(
  em: EntityManager,
  viewer: Viewer,
  item: { table: ItemTable; id: string; current: ItemAccess; derivedFrom: () => Promise<ItemAccess[]> },
  change: AccessChange,
): Promise<ItemAccess> {
  const { current } = item;
  // Who may read an item is its organisation's to decide: nobody else may take it away from them, nor release it.
  if (current.organisation && viewer.organisation !== current.organisation) {
    throw forbidden(`who may read this item is decided within ${current.organisation}`);
  }
  const marking = change.marking ?? current.marking;
  // An audience belongs to a RED item: lowering the marking drops it.
  const audience = change.audience ?? (marking === Marking.RED ? current.audience : []);
  const next = itemAccessFor(viewer, marking, audience, 'input', current.organisation);
  await checkAndRecordRelease(em, viewer, {
    table: item.table,
    id: item.id,
    from: current,
    to: next,
    derivedFrom: item.derivedFrom,
    reason: change.releaseReason,
    path: 'input',
  });
  return next;
}
