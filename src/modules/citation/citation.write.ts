import type { DataSource } from 'typeorm';
import { notFound } from '../../common/errors';
import type { Viewer } from '../../common/viewer';
import { visibleCondition } from '../../read/access';
import { fromGlobalId } from '../../read/global-id';
import type { ItemAccess } from '../assertion/item-access';
import { writeTransaction } from '../idempotency/idempotency';
import { changedAccess, changesAccess, type AccessChange } from '../release/access-change';

/**
 * Re-marks a citation the viewer may read (with its statement and source). Raising is open to the writers of its
 * organisation who read it; lowering or widening is a release, never beyond the readers of the source it quotes.
 */
export async function remarkCitation(dataSource: DataSource, viewer: Viewer, globalId: string, change: AccessChange): Promise<void> {
  const { id } = fromGlobalId(globalId, 'id', ['Citation']);
  await writeTransaction(dataSource, async (em) => {
    const [row]: Array<{ current: ItemAccess; source: ItemAccess }> = await em.query(
      `SELECT json_build_object('marking', c.marking, 'organisation', c.organisation, 'audience', c.audience) AS current,
              json_build_object('marking', s.marking, 'organisation', s.organisation, 'audience', s.audience) AS source
       FROM citation c JOIN source s ON s.id = c.source_id WHERE c.id = $1 AND ${visibleCondition(viewer, 'c', 'citation')} FOR UPDATE OF c`,
      [id],
    );
    if (!row) throw notFound(`Citation ${globalId}`);
    if (!changesAccess(change)) return;
    const next = await changedAccess(em, viewer, { table: 'citation', id, current: row.current, derivedFrom: async () => [row.source] }, change);
    await em.query(`UPDATE citation SET marking = $2, organisation = $3, audience = $4, updated_at = now() WHERE id = $1`, [
      id,
      next.marking,
      next.organisation,
      next.audience,
    ]);
  });
}
