import type { DataSource } from 'typeorm';
import { highestMarking, Marking, MARKINGS } from '../../common/marking';
import type { Viewer } from '../../common/viewer';
import { visibleTo } from '../../read/access';
import { fromGlobalId, toGlobalId } from '../../read/global-id';
import type { BriefInput } from '../brief/brief.inputs';
import { briefScopeOf } from '../brief/brief.scope';
import { composeForScope } from '../brief/brief.service';
import { BriefDefinition, BriefFormat } from '../brief-definition/brief-definition.entity';
import { findDefinition } from '../brief-definition/brief-definition.service';
import { deltaByTimestamps, diffSnapshots, snapshotOf } from './brief-delta';
import type { BriefDelta } from './brief-delta.types';
import { BriefRun, BriefRunStatus } from './brief-run.entity';

/** A run still RUNNING this long after its start was abandoned (its process died): a redelivered job may take it over. */
export const RUN_TIMEOUT_SECONDS = 300;

/** Runs of a definition the viewer may see (both the definition and the run), newest occurrence first. */
export async function listRuns(dataSource: DataSource, viewer: Viewer, definitionId: string, limit: number, status?: BriefRunStatus | null) {
  const definition = await findDefinition(dataSource.manager, viewer, definitionId, 'definition');
  const query = dataSource.manager
    .createQueryBuilder(BriefRun, 'r')
    .leftJoinAndSelect('r.definition', 'd')
    .where('r.definition_id = :id', { id: definition.id })
    .andWhere(visibleTo(viewer, 'r'))
    .orderBy('r.scheduled_for', 'DESC')
    .limit(limit);
  if (status) query.andWhere('r.status = :status', { status });
  return query.getMany();
}

/**
 * Removed statements are named by the text they had when a reader of this clearance saw them. One that has since been
 * marked above that clearance keeps its id but loses its text: the new marking wins.
 */
async function withdrawRemarked(dataSource: DataSource, delta: BriefDelta, clearance: Marking): Promise<BriefDelta> {
  if (!delta.removed.length) return delta;
  const ids = delta.removed.map((item) => fromGlobalId(item.id, 'id').id);
  const rows: Array<{ id: string; marking: Marking }> = await dataSource.query(
    ['capability', 'challenge', 'implication', 'event', 'actor_relation'].map((table) => `SELECT id, marking FROM ${table} WHERE id = ANY($1::uuid[])`).join(' UNION ALL '),
    [ids],
  );
  const above = new Set(rows.filter((r) => MARKINGS.indexOf(r.marking) > MARKINGS.indexOf(clearance)).map((r) => r.id));
  const removed = delta.removed.map((item) =>
    above.has(fromGlobalId(item.id, 'id').id) ? { ...item, text: 'Withdrawn: now marked above this brief’s clearance.' } : item,
  );
  return { ...delta, removed };
}

/**
 * Runs one queued occurrence. The claim stamps the run with this attempt's start time, and every later write checks
 * that stamp, so a redelivered job cannot compose a run twice or overwrite another attempt's result.
 */
export async function executeRun(dataSource: DataSource, runId: string): Promise<void> {
  const attempt = new Date();
  const claimed = await dataSource.manager
    .createQueryBuilder()
    .update(BriefRun)
    .set({ status: BriefRunStatus.RUNNING, startedAt: attempt, error: null })
    .where('id = :runId AND (status IN (:...open) OR (status = :running AND started_at < :stale))', {
      runId,
      open: [BriefRunStatus.QUEUED, BriefRunStatus.FAILED],
      running: BriefRunStatus.RUNNING,
      stale: new Date(attempt.getTime() - RUN_TIMEOUT_SECONDS * 1000),
    })
    .execute();
  if (!claimed.affected) return;
  const mine = { id: runId, status: BriefRunStatus.RUNNING, startedAt: attempt };
  const run = await dataSource.manager.findOneOrFail(BriefRun, { where: { id: runId }, relations: { definition: true } });
  const scope = run.input ?? run.definition.input;
  try {
    const { brief, data } = await composeForScope(dataSource, scope, 'definition.input');
    const snapshot = snapshotOf(data.statements);
    const previous = await dataSource.manager
      .createQueryBuilder(BriefRun, 'r')
      .where('r.definition_id = :id AND r.status = :ok AND r.scheduled_for < :at', {
        id: run.definitionId,
        ok: BriefRunStatus.SUCCEEDED,
        at: run.scheduledFor,
      })
      .orderBy('r.scheduled_for', 'DESC')
      .getOne();
    const delta = previous?.snapshot
      ? await withdrawRemarked(dataSource, diffSnapshots(previous.snapshot, snapshot, previous.scheduledFor, toGlobalId('BriefRun', previous.id)), scope.clearance)
      : null;
    // The delta names statements the brief no longer carries: the run is marked for those too.
    const marking = highestMarking([brief.marking, ...(delta?.removed.map((item) => item.marking) ?? [])]);
    const keeps = (format: BriefFormat) => run.definition.formats.includes(format);
    await dataSource.manager.update(BriefRun, mine, {
      status: BriefRunStatus.SUCCEEDED,
      finishedAt: new Date(),
      marking,
      contentHash: brief.contentHash,
      markdown: keeps(BriefFormat.MARKDOWN) ? brief.markdown : null,
      html: keeps(BriefFormat.HTML) ? brief.html : null,
      brief: keeps(BriefFormat.JSON) ? brief : null,
      snapshot,
      delta,
    } as never);
  } catch (error) {
    await dataSource.manager.update(BriefRun, mine, { status: BriefRunStatus.FAILED, finishedAt: new Date(), error: String(error) });
    throw error;
  }
}

/**
 * What changed in the brief `input` asks for since `since`. Exact against the latest run composed with the same
 * canonical input that finished by then and that the viewer may see; otherwise judged from the rows' timestamps.
 */
export async function briefDeltaFor(dataSource: DataSource, viewer: Viewer, input: BriefInput, since: Date) {
  const scope = briefScopeOf(input, viewer);
  const { data } = await composeForScope(dataSource, scope);
  const baseline = await dataSource.manager
    .createQueryBuilder(BriefRun, 'r')
    .innerJoin(BriefDefinition, 'd', 'd.id = r.definition_id')
    .where('r.input = CAST(:scope AS jsonb) AND r.status = :ok AND r.finished_at <= :since', {
      scope: JSON.stringify(scope),
      ok: BriefRunStatus.SUCCEEDED,
      since,
    })
    .andWhere(visibleTo(viewer, 'r'))
    .andWhere(visibleTo(viewer, 'd'))
    .orderBy('r.finished_at', 'DESC')
    .getOne();
  if (!baseline?.snapshot) return deltaByTimestamps(data.statements, since);
  const delta = diffSnapshots(baseline.snapshot, snapshotOf(data.statements), baseline.finishedAt!, toGlobalId('BriefRun', baseline.id));
  return withdrawRemarked(dataSource, delta, scope.clearance);
}
