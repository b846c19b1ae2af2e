import type { DataSource } from 'typeorm';
import { notFound } from '../../common/errors';
import { Marking } from '../../common/marking';
import type { Viewer } from '../../common/viewer';
import { visibleTo } from '../../read/access';
import { fromGlobalId } from '../../read/global-id';
import type { StatementAccessChange } from '../assertion/assertion.write';
import { itemAccessFor, type ItemAccess } from '../assertion/item-access';
import { checkAndRecordRelease } from '../release/release.rules';

/**
 * Re-marks a citation the viewer may read (with its statement). Raising is open to any writer who reads it; lowering
 * or widening is a release, never below the marking of the source it quotes.
 */
export async function remarkCitation(dataSource: DataSource, viewer: Viewer, globalId: string, change: StatementAccessChange): Promise<void> {
  const { id } = fromGlobalId(globalId, 'id', ['Citation']);
  await dataSource.transaction(async (em) => {
    const [current]: Array<ItemAccess & { source_marking: Marking }> = await em.query(
      `SELECT c.marking, c.organisation, c.audience, s.marking AS source_marking FROM citation c JOIN source s ON s.id = c.source_id
       WHERE c.id = $1 AND ${visibleTo(viewer, 'c', 'citation')} FOR UPDATE OF c`,
      [id],
    );
    if (!current) throw notFound(`Citation ${globalId}`);
    if (change.marking == null && change.audience == null) return;
    const marking = change.marking ?? current.marking;
    const audience = change.audience ?? (marking === Marking.RED ? current.audience : []);
    const next = itemAccessFor(viewer, marking, audience, 'input', current.organisation ?? viewer.organisation);
    await checkAndRecordRelease(em, viewer, {
      table: 'citation',
      id,
      from: { marking: current.marking, organisation: current.organisation, audience: current.audience },
      to: next,
      floor: current.source_marking,
      reason: change.releaseReason,
      path: 'input',
    });
    await em.query(`UPDATE citation SET marking = $2, organisation = $3, audience = $4, updated_at = now() WHERE id = $1`, [
      id,
      next.marking,
      next.organisation,
      next.audience,
    ]);
  });
}
