import type { DataSource } from 'typeorm';
import { badUserInput, conflict } from '../../common/errors';
import type { Viewer } from '../../common/viewer';
import { visibleCondition, type ItemTable } from '../../read/access';
import { fromGlobalId } from '../../read/global-id';
import { writeTransaction } from '../idempotency/idempotency';
import { lockItem, requireLive, type ItemTarget } from './item.write';

// Retraction instead of deletion: a retracted item leaves lists, counts and briefs, and stays readable by id with its
// reason and, when one is named, the item of its type that replaces it.

/** Items of one table that rest on the item being retracted (`$1` in `refersTo` is its id). */
export interface Dependent {
  /** What they are called, in the plural ("capabilities"). */
  plural: string;
  table: ItemTable;
  refersTo: (alias: string) => string;
}

export interface Retraction {
  version?: number | null;
  reason: string;
  /** Global id of the item of the same type that replaces this one. */
  supersededBy?: string | null;
}

/**
 * Retracts an item the viewer may see. While items that stand and that the writer may see rest on it (the statements
 * of a topic, the citations of a source ...) it is CONFLICT naming them: they are retracted or moved first, so
 * nothing is left resting on a withdrawn item by accident. Items the writer may not see neither block it (which would
 * tell they exist) nor are touched (which would change what the writer may not see).
 */
export async function retractItem(dataSource: DataSource, viewer: Viewer, target: ItemTarget, r: Retraction, dependents: Dependent[] = []): Promise<void> {
  const reason = r.reason.trim();
  if (!reason) throw badUserInput('reason', 'a retraction says why');
  const successor = r.supersededBy ? fromGlobalId(r.supersededBy, 'supersededBy', [target.typeName]).id : null;
  await writeTransaction(dataSource, async (em) => {
    const item = await lockItem(em, viewer, target, r.version);
    if (item.retracted) throw conflict(`${target.typeName} ${target.globalId} is retracted already`);
    if (successor === item.id) throw badUserInput('supersededBy', 'an item does not replace itself');
    if (successor) await requireLive(em, viewer, [{ table: target.table, id: successor, path: 'supersededBy' }]);
    const standing: string[] = [];
    for (const d of dependents) {
      const [{ n }]: Array<{ n: number }> = await em.query(
        `SELECT count(*)::int AS n FROM ${d.table} x WHERE ${d.refersTo('x')} AND x.retracted_at IS NULL AND ${visibleCondition(viewer, 'x', d.table)}`,
        [item.id],
      );
      if (n) standing.push(`${n} ${d.plural}`);
    }
    if (standing.length) {
      throw conflict(`${target.typeName} ${target.globalId} still has ${standing.join(', ')} that stand on it: retract or move them first`);
    }
    await em.query(`UPDATE ${target.table} SET retracted_at = now(), retraction_reason = $2, superseded_by_id = $3, updated_at = now() WHERE id = $1`, [
      item.id,
      reason,
      successor,
    ]);
  });
}

/** Undoes the retraction of an item the viewer may see. */
export async function restoreItem(dataSource: DataSource, viewer: Viewer, target: ItemTarget, version?: number | null): Promise<void> {
  await writeTransaction(dataSource, async (em) => {
    const item = await lockItem(em, viewer, target, version);
    if (!item.retracted) throw conflict(`${target.typeName} ${target.globalId} is not retracted`);
    await em.query(`UPDATE ${target.table} SET retracted_at = NULL, retraction_reason = NULL, superseded_by_id = NULL, updated_at = now() WHERE id = $1`, [
      item.id,
    ]);
  });
}
