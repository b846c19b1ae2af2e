import type { EntityManager } from 'typeorm';
import { badUserInput } from '../../common/errors';
import { pageWindow } from '../../common/pagination';
import type { Viewer } from '../../common/viewer';
import { visibleCondition } from '../../read/access';
import { decodeCursor } from '../../read/cursor';
import { fromGlobalId } from '../../read/global-id';
import { byColumn } from '../../read/model';
import { findDefinition } from '../brief-definition/brief-definition.service';
import { BriefRun, BriefRunStatus } from './brief-run.entity';
import type { BriefRunConnectionArgs } from './brief-run.inputs';
import { contentsVisibleTo } from './run-contents';

/**
 * Runs `viewer` may see: the run (its marking, and everything it shows as marked today) and its definition. Every
 * read of stored runs starts here, so a run hidden from a reader is never listed, counted or found by id.
 */
export const visibleRuns = (em: EntityManager, viewer: Viewer) =>
  em
    .createQueryBuilder(BriefRun, 'r')
    .innerJoinAndSelect('r.definition', 'd')
    .where(visibleCondition(viewer, 'r', 'brief_run'))
    .andWhere(contentsVisibleTo(viewer, 'r'))
    .andWhere(visibleCondition(viewer, 'd', 'brief_definition'));

/** A run by global id; null when there is none the viewer may see, exactly as when there is none at all. */
export async function findRun(em: EntityManager, viewer: Viewer, globalId: string, argumentName = 'id'): Promise<BriefRun | null> {
  const { id } = fromGlobalId(globalId, argumentName, ['BriefRun']);
  return visibleRuns(em, viewer).andWhere('r.id = :id', { id }).getOne();
}

/** Runs are ordered by occurrence, newest first; cursors have the shape of every connection's. */
const ORDER_FIELD = 'SCHEDULED_FOR';
const ORDER = byColumn('scheduled_for', 'timestamptz');

const cursorOf = (at: string, id: string) => Buffer.from(JSON.stringify([ORDER_FIELD, at, id])).toString('base64');

function positionOf(cursor: string, argumentName: 'after' | 'before') {
  try {
    return decodeCursor(cursor, ORDER_FIELD, ORDER) as { value: string; id: string };
  } catch (error) {
    if (argumentName === 'after') throw error;
    throw badUserInput('before', 'not a cursor returned by this connection');
  }
}

export interface RunPage {
  edges: Array<{ cursor: string; node: BriefRun }>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount?: number;
}

/**
 * One page of a definition's runs the viewer may see, newest occurrence first: `first`/`after` read on towards older
 * runs, `last`/`before` back towards newer ones. NOT_FOUND when the viewer may not see the definition.
 */
export async function pageOfRuns(
  em: EntityManager,
  viewer: Viewer,
  args: BriefRunConnectionArgs,
  pageSize: { max: number; default: number },
  countAll: boolean,
): Promise<RunPage> {
  const { size, backward } = pageWindow(args, pageSize);
  // Checked before anything is read, so bad input never depends on what exists.
  const after = args.after ? positionOf(args.after, 'after') : null;
  const before = args.before ? positionOf(args.before, 'before') : null;
  if (args.since) {
    const year = args.since.getUTCFullYear();
    if (year < 1 || year > 9999) throw badUserInput('since', 'must fall in the years 1 to 9999 (UTC)');
  }
  if (args.status && !args.status.length) throw badUserInput('status', 'name at least one status, or leave it out');
  const definition = await findDefinition(em, viewer, args.definition, 'definition');

  const matching = visibleRuns(em, viewer).andWhere('r.definition_id = :definition', { definition: definition.id });
  if (args.since) matching.andWhere('r.scheduled_for >= :since', { since: args.since });
  if (args.status) matching.andWhere('r.status IN (:...status)', { status: args.status });
  const totalCount = countAll ? await matching.clone().getCount() : undefined;

  const page = matching.clone().addSelect(`to_json(r.scheduled_for) #>> '{}'`, 'cursor_at');
  if (after) page.andWhere('(r.scheduled_for, r.id) < (CAST(:afterAt AS timestamptz), CAST(:afterId AS uuid))', { afterAt: after.value, afterId: after.id });
  if (before)
    page.andWhere('(r.scheduled_for, r.id) > (CAST(:beforeAt AS timestamptz), CAST(:beforeId AS uuid))', { beforeAt: before.value, beforeId: before.id });
  const direction = backward ? 'ASC' : 'DESC';
  page
    .orderBy('r.scheduled_for', direction)
    .addOrderBy('r.id', direction)
    .limit(size + 1);
  const { raw, entities } = await page.getRawAndEntities<{ r_id: string; cursor_at: string }>();
  const cursors = new Map(raw.map((row) => [row.r_id, cursorOf(row.cursor_at, row.r_id)]));
  const more = entities.length > size;
  const runs = entities.slice(0, size);
  if (backward) runs.reverse();
  const edges = runs.map((run) => ({ cursor: cursors.get(run.id)!, node: run }));
  // Beyond the cursor the page reads from (at or past it, newer for `after`, older for `before`): exact, like every
  // connection's flags, over the same visible, filtered runs.
  const cursor = backward ? before : after;
  const beyond = cursor
    ? await matching
        .clone()
        .andWhere(`(r.scheduled_for, r.id) ${backward ? '<=' : '>='} (CAST(:farAt AS timestamptz), CAST(:farId AS uuid))`, {
          farAt: cursor.value,
          farId: cursor.id,
        })
        .getExists()
    : false;
  return {
    edges,
    pageInfo: {
      hasNextPage: backward ? beyond : more,
      hasPreviousPage: backward ? more : beyond,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount,
  };
}

/** The newest successful run of a definition the viewer may see; NOT_FOUND when the viewer may not see the definition. */
export async function latestRun(em: EntityManager, viewer: Viewer, definitionId: string): Promise<BriefRun | null> {
  const definition = await findDefinition(em, viewer, definitionId, 'definition');
  return visibleRuns(em, viewer)
    .andWhere('r.definition_id = :definition AND r.status = :ok', { definition: definition.id, ok: BriefRunStatus.SUCCEEDED })
    .orderBy('r.scheduled_for', 'DESC')
    .addOrderBy('r.id', 'DESC')
    .limit(1)
    .getOne();
}
