import type { DataSource } from 'typeorm';
import { highestMarking } from '../../common/marking';
import type { Viewer } from '../../common/viewer';
import { visibleTo } from '../../read/access';
import { toGlobalId } from '../../read/global-id';
import type { BriefInput } from '../brief/brief.inputs';
import { briefScopeOf } from '../brief/brief.scope';
import { composeForScope } from '../brief/brief.service';
import { BriefDefinition, BriefFormat } from '../brief-definition/brief-definition.entity';
import { findDefinition } from '../brief-definition/brief-definition.service';
import { deltaByTimestamps, diffSnapshots, snapshotOf } from './brief-delta';
import { BriefRun, BriefRunStatus } from './brief-run.entity';

/** Runs of a definition the viewer is cleared for, newest occurrence first. */
export async function listRuns(dataSource: DataSource, viewer: Viewer, definitionId: string, limit: number, status?: BriefRunStatus | null) {
  const definition = await findDefinition(dataSource.manager, definitionId, 'definition');
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

/** Runs one queued occurrence. Idempotent: a run that already succeeded is left alone, so a redelivered job does nothing. */
export async function executeRun(dataSource: DataSource, runId: string): Promise<void> {
  const claimed = await dataSource.manager
    .createQueryBuilder()
    .update(BriefRun)
    .set({ status: BriefRunStatus.RUNNING, startedAt: () => 'now()', error: null })
    .where('id = :runId AND status IN (:...open)', { runId, open: [BriefRunStatus.QUEUED, BriefRunStatus.RUNNING, BriefRunStatus.FAILED] })
    .execute();
  if (!claimed.affected) return;
  const run = await dataSource.manager.findOneOrFail(BriefRun, { where: { id: runId }, relations: { definition: true } });
  try {
    const { brief, data } = await composeForScope(dataSource, run.definition.input, 'definition.input');
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
    const delta = previous?.snapshot ? diffSnapshots(previous.snapshot, snapshot, previous.scheduledFor, toGlobalId('BriefRun', previous.id)) : null;
    // The delta can name statements the brief no longer carries: the run is marked for those too.
    const marking = highestMarking([brief.marking, ...(delta?.removed.map((item) => item.marking) ?? [])]);
    const keeps = (format: BriefFormat) => run.definition.formats.includes(format);
    await dataSource.manager.update(BriefRun, { id: runId, status: BriefRunStatus.RUNNING }, {
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
    await dataSource.manager.update(BriefRun, { id: runId }, { status: BriefRunStatus.FAILED, finishedAt: new Date(), error: String(error) });
    throw error;
  }
}

/**
 * What changed in the brief `input` asks for since `since`. Exact when a stored run of the same canonical input,
 * which the viewer may read, finished at or before `since`; otherwise judged from the rows' timestamps.
 */
export async function briefDeltaFor(dataSource: DataSource, viewer: Viewer, input: BriefInput, since: Date) {
  const scope = briefScopeOf(input, viewer);
  const { data } = await composeForScope(dataSource, scope);
  const baseline = await dataSource.manager
    .createQueryBuilder(BriefRun, 'r')
    .innerJoin(BriefDefinition, 'd', 'd.id = r.definition_id')
    .where('d.input = CAST(:scope AS jsonb) AND r.status = :ok AND r.finished_at <= :since', {
      scope: JSON.stringify(scope),
      ok: BriefRunStatus.SUCCEEDED,
      since,
    })
    .andWhere(visibleTo(viewer, 'r'))
    .orderBy('r.finished_at', 'DESC')
    .getOne();
  if (baseline?.snapshot) return diffSnapshots(baseline.snapshot, snapshotOf(data.statements), baseline.finishedAt!, toGlobalId('BriefRun', baseline.id));
  return deltaByTimestamps(data.statements, since);
}
