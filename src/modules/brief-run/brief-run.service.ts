import type { DataSource, EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { v4 as uuid } from 'uuid';
import { highestMarking } from '../../common/marking';
import { isDatabaseUnavailable } from '../../db/unavailable';
import { atClearance, type Viewer } from '../../common/viewer';
import { visibleCondition } from '../../read/access';
import { fromGlobalId, toGlobalId } from '../../read/global-id';
import type { BriefInput } from '../brief/brief.inputs';
import { briefScopeOf } from '../brief/brief.scope';
import { composeForScope } from '../brief/brief.service';
import { BriefDefinition, BriefFormat } from '../brief-definition/brief-definition.entity';
import { changesSince } from '../history/changes-since';
import { deltaByHistory, diffSnapshots, snapshotOf } from './brief-delta';
import type { BriefDelta } from './brief-delta.types';
import { ApiKey } from '../identity/api-key.entity';
import { BriefRun, BriefRunStatus } from './brief-run.entity';
import { pruneRuns } from './retention';
import { recordDeliveries } from '../delivery/delivery.record';
import { above, contentsOf, contentsVisibleTo, hiddenFrom, withStatements } from './run-contents';

/** The longest a run may compose: pg-boss expires its job after this, and a run claimed without a lease is abandoned. */
export const RUN_TIMEOUT_SECONDS = 300;

/** An attempt holds its run this long and renews the hold every third of it; a run not renewed was abandoned. */
export const RUN_LEASE_SECONDS = 30;

const uuidOf = (globalId: string) => fromGlobalId(globalId, 'id').id;

/**
 * Removed statements as `reader` may see them. One never shown at the reader's clearance is left out. One the reader
 * may no longer read today (marked higher, or shared with another organisation or audience) keeps its id but loses
 * its text. Deleted ones keep the text they had, unless they were marked beyond the reader when deleted.
 */
export async function forReader(dataSource: DataSource, delta: BriefDelta, reader: Viewer): Promise<BriefDelta> {
  const seen = delta.removed.filter((item) => !above(item.marking, reader.clearance));
  const hidden = await hiddenFrom(
    (q, p) => dataSource.query(q, p),
    reader,
    seen.map((item) => uuidOf(item.id)),
  );
  const removed = seen.map((item) => (hidden.has(uuidOf(item.id)) ? { ...item, text: WITHDRAWN } : item));
  return { ...delta, removed };
}

export const WITHDRAWN = 'Withdrawn: now marked above this brief’s clearance.';

export class RunBusyError extends Error {}

/**
 * Runs one queued occurrence. The claim stamps the run with an attempt token and a lease, and every later write checks
 * the token, so a redelivered job never composes a run twice nor overwrites another attempt. A run another attempt
 * holds makes this one fail, and the queue retries it later; one whose lease ran out (by the database clock: its
 * process died) may be taken over. The same attempt may claim its run again: after losing the database mid-way, it
 * resumes where it is sure to be alone.
 */
export async function executeRun(dataSource: DataSource, runId: string, attempt: string = uuid()): Promise<void> {
  const claimed = await dataSource.manager
    .createQueryBuilder()
    .update(BriefRun)
    .set({ status: BriefRunStatus.RUNNING, startedAt: () => 'now()', attempt, leaseExpiresAt: () => LEASE_END, error: null })
    .where(`id = :runId AND (status IN (:...open) OR (status = :running AND (attempt = :attempt OR ${LEASE_OVER})))`, {
      runId,
      attempt,
      open: [BriefRunStatus.QUEUED, BriefRunStatus.FAILED],
      running: BriefRunStatus.RUNNING,
    })
    .execute();
  if (!claimed.affected) {
    const current = await dataSource.manager.findOneBy(BriefRun, { id: runId });
    if (current?.status === BriefRunStatus.RUNNING) throw new RunBusyError(`run ${runId} is being composed by another attempt`);
    return; // done, missed, or its definition deleted
  }
  const renewal = setInterval(() => void renewLease(dataSource, runId, attempt).catch(() => undefined), (RUN_LEASE_SECONDS * 1000) / 3);
  try {
    await compose(dataSource, runId, attempt);
  } finally {
    clearInterval(renewal);
  }
}

/** The end of a lease taken now, and whether a run's lease is over (runs claimed before leases: RUN_TIMEOUT_SECONDS). */
const LEASE_END = `now() + make_interval(secs => ${RUN_LEASE_SECONDS})`;
export const LEASE_OVER = `coalesce(lease_expires_at, started_at + make_interval(secs => ${RUN_TIMEOUT_SECONDS})) < now()`;

const renewLease = (dataSource: DataSource, runId: string, attempt: string) =>
  dataSource.query(`UPDATE brief_run SET lease_expires_at = ${LEASE_END} WHERE id = $1 AND attempt = $2 AND status = 'RUNNING'`, [runId, attempt]);

async function compose(dataSource: DataSource, runId: string, attempt: string): Promise<void> {
  const run = await dataSource.manager.findOneOrFail(BriefRun, { where: { id: runId }, relations: { definition: true } });
  const scope = run.input ?? run.definition.input;
  // Composed as the definition's owner, at the definition's clearance; readers with less never see it (visibleRuns).
  const owner: Viewer = { principal: run.definition.ownerPrincipal, organisation: run.definition.organisation, role: null, clearance: scope.clearance };
  const lapsed = await ownerLapsed(dataSource, owner);
  if (lapsed) {
    // Nothing is composed for an owner who may no longer read it; the definition waits for someone to take it over.
    await finishRun(dataSource, run, attempt, { status: BriefRunStatus.FAILED, finishedAt: new Date(), error: lapsed });
    await dataSource.manager.update(BriefDefinition, { id: run.definitionId }, { paused: true, nextRunAt: null });
    return;
  }
  try {
    const { brief, data } = await composeForScope(dataSource, owner, scope, 'definition.input');
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
      ? await forReader(dataSource, diffSnapshots(previous.snapshot, snapshot, previous.scheduledFor, toGlobalId('BriefRun', previous.id)), owner)
      : null;
    // The delta names statements the brief no longer carries: the run is marked for those too.
    const marking = highestMarking([brief.marking, ...(delta?.removed.map((item) => item.marking) ?? [])]);
    const keeps = (format: BriefFormat) => run.definition.formats.includes(format);
    await finishRun(
      dataSource,
      run,
      attempt,
      {
        status: BriefRunStatus.SUCCEEDED,
        finishedAt: new Date(),
        marking,
        contentHash: brief.contentHash,
        markdown: keeps(BriefFormat.MARKDOWN) ? brief.markdown : null,
        html: keeps(BriefFormat.HTML) ? brief.html : null,
        brief: keeps(BriefFormat.JSON) ? brief : null,
        // The statements whose text its delta shows count too: should one be marked higher later, the run hides.
        contents: withStatements(contentsOf(data), delta?.removed.filter((item) => item.text !== WITHDRAWN) ?? [], uuidOf),
        snapshot,
        delta,
      },
      // The run and its deliveries are recorded together: a crash cannot leave a run that is never delivered.
      (em) => recordDeliveries(em, run.id),
    );
  } catch (error) {
    // Losing the database is no failure of the run: the attempt resumes once it is back, or its lease runs out.
    if (!isDatabaseUnavailable(error)) {
      await finishRun(dataSource, run, attempt, { status: BriefRunStatus.FAILED, finishedAt: new Date(), error: String(error) });
    }
    throw error;
  }
}

/** Writes a run's outcome, while the attempt still holds it, and prunes the definition's runs in the same transaction. */
async function finishRun(
  dataSource: DataSource,
  run: BriefRun,
  attempt: string,
  outcome: QueryDeepPartialEntity<BriefRun>,
  alsoWrite?: (em: EntityManager) => Promise<void>,
) {
  await dataSource.transaction(async (em) => {
    const written = await em.update(BriefRun, { id: run.id, status: BriefRunStatus.RUNNING, attempt }, outcome);
    if (!written.affected) return;
    await pruneRuns(em, run.definitionId, run.id);
    await alsoWrite?.(em);
  });
}

/**
 * Why a definition's owner may no longer have its briefs composed, or null. Key owners are checked on every run
 * (revoked, or now below the clearance or outside the organisation); token owners cannot be, and are trusted as saved.
 */
async function ownerLapsed(dataSource: DataSource, owner: Viewer): Promise<string | null> {
  if (!owner.principal || owner.principal.startsWith('jwt:')) return null;
  const key = await dataSource.manager.findOneBy(ApiKey, { principal: owner.principal });
  if (!key || key.revokedAt) return `the owner ${owner.principal} has no live key: the definition is paused`;
  if (above(owner.clearance, key.clearance) || key.organisation !== owner.organisation) {
    return `the owner ${owner.principal} no longer holds ${owner.clearance} in ${owner.organisation ?? 'no organisation'}: the definition is paused`;
  }
  return null;
}

/**
 * What changed in the brief `input` asks for since `since`. Exact against the latest run composed with the same
 * canonical input that finished by then and that the viewer may see; otherwise judged from the history of changes.
 */
export async function briefDeltaFor(dataSource: DataSource, viewer: Viewer, input: BriefInput, since: Date) {
  const scope = briefScopeOf(input, viewer);
  const { data } = await composeForScope(dataSource, viewer, scope);
  const baseline = await dataSource.manager
    .createQueryBuilder(BriefRun, 'r')
    .innerJoin(BriefDefinition, 'd', 'd.id = r.definition_id')
    .where('r.input = CAST(:scope AS jsonb) AND r.status = :ok AND r.finished_at <= :since', {
      scope: JSON.stringify(scope),
      ok: BriefRunStatus.SUCCEEDED,
      since,
    })
    .andWhere(visibleCondition(viewer, 'r', 'brief_run'))
    .andWhere(contentsVisibleTo(viewer, 'r'))
    .andWhere(visibleCondition(viewer, 'd', 'brief_definition'))
    .orderBy('r.finished_at', 'DESC')
    .getOne();
  if (!baseline?.snapshot) {
    const history = await changesSince(dataSource, atClearance(viewer, scope.clearance), data.statements, since);
    return deltaByHistory(data.statements, since, history);
  }
  const delta = diffSnapshots(baseline.snapshot, snapshotOf(data.statements), baseline.finishedAt!, toGlobalId('BriefRun', baseline.id));
  return forReader(dataSource, delta, atClearance(viewer, scope.clearance));
}
