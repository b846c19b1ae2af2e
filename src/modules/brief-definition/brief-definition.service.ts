import { Marking, MARKINGS } from '../../common/marking';
import { v4 as uuid } from 'uuid';
import type { DataSource, EntityManager } from 'typeorm';
import { badUserInput, conflict, forbidden, notFound } from '../../common/errors';
import type { Viewer } from '../../common/viewer';
import { visibleCondition } from '../../read/access';
import { fromGlobalId, toGlobalId } from '../../read/global-id';
import { briefScopeOf } from '../brief/brief.scope';
import { composeForScope } from '../brief/brief.service';
import { writeTransaction } from '../idempotency/idempotency';
import { BriefDefinition, BriefFormat, MAX_KEEP_DAYS, MAX_KEEP_RUNS } from './brief-definition.entity';
import type { BriefDefinitionInput, BriefDefinitionPatch } from './brief-definition.inputs';
import { checkSchedule, nextOccurrence } from './schedule';

const UNIQUE_VIOLATION = '23505';

/** Definitions `viewer` may see: those composed for a clearance at most theirs. */
export const visibleDefinitions = (em: EntityManager, viewer: Viewer) =>
  em.createQueryBuilder(BriefDefinition, 'd').where(visibleCondition(viewer, 'd', 'brief_definition'));

/** The definition behind a global id; NOT_FOUND when there is none the viewer may see. */
export async function findDefinition(em: EntityManager, viewer: Viewer, globalId: string, argumentName: string): Promise<BriefDefinition> {
  const { id } = fromGlobalId(globalId, argumentName, ['BriefDefinition']);
  const definition = await visibleDefinitions(em, viewer).andWhere('d.id = :id', { id }).getOne();
  if (!definition) throw notFound(`BriefDefinition ${globalId}`);
  return definition;
}

/** A definition as it is after a write (or a replay of one), read afresh. */
const definitionNow = (dataSource: DataSource, viewer: Viewer, id: string) =>
  findDefinition(dataSource.manager, viewer, toGlobalId('BriefDefinition', id), 'id');

/**
 * Sets the fields of a definition from checked input. The brief input is composed once as a check, so a
 * definition that names an unknown topic, or asks above the creator's clearance, is refused before it is stored.
 * It reads on connections of its own: call it before the write transaction, never inside one.
 */
async function apply(dataSource: DataSource, viewer: Viewer, d: BriefDefinition, input: BriefDefinitionPatch) {
  if (input.name !== undefined && input.name !== null) {
    if (!input.name.trim()) throw badUserInput('input.name', 'a name cannot be empty');
    if (input.name.trim().length > MAX_NAME) throw badUserInput('input.name', `a name has at most ${MAX_NAME} characters`);
    d.name = input.name.trim();
  }
  if (input.brief) {
    // A changed brief keeps the definition's clearance unless it names another, so an edit never re-marks it unasked.
    const brief = d.id && input.brief.clearance == null ? { ...input.brief, clearance: d.marking } : input.brief;
    d.input = briefScopeOf(brief, viewer, 'input.brief');
    await composeForScope(dataSource, viewer, d.input, 'input.brief');
    // Lowering a stored definition's clearance would show its name, input and targets to readers its marking excludes:
    // that is a release, which an update never records. A brief at a lower clearance is a new definition.
    if (d.id && MARKINGS.indexOf(d.input.clearance) < MARKINGS.indexOf(d.marking)) {
      throw forbidden(`lowering a definition's clearance (${d.marking}) would release it: create a new definition at ${d.input.clearance} instead`);
    }
    // Its runs carry what a reader of that clearance may see, so the definition is marked with it.
    d.marking = d.input.clearance;
    // Whoever saves it can still read it: a RED definition is its owner's alone.
    if (d.marking === Marking.RED && d.ownerPrincipal !== viewer.principal) {
      throw badUserInput('input.brief.clearance', 'a RED brief is its owner’s alone: only the owner may make it RED');
    }
    if (d.marking === Marking.AMBER_STRICT && !d.organisation) {
      throw badUserInput('input.brief.clearance', 'an AMBER_STRICT brief is kept within an organisation, and you have none');
    }
  }
  if (input.formats) {
    if (!input.formats.length) throw badUserInput('input.formats', 'keep at least one rendering');
    d.formats = Object.values(BriefFormat).filter((f) => input.formats!.includes(f));
  }
  keepLimits(d, input);
  if (input.onlyWhenChanged != null) d.onlyWhenChanged = input.onlyWhenChanged;
  if (input.cron !== undefined && input.cron !== null) d.cron = input.cron;
  if (input.timeZone !== undefined && input.timeZone !== null) d.timeZone = input.timeZone;
  checkSchedule(d.cron, d.timeZone);
  // A new schedule counts from now; other changes leave a due occurrence due.
  const scheduleGiven = input.cron != null || input.timeZone != null;
  if (!d.paused && (scheduleGiven || !d.nextRunAt)) d.nextRunAt = nextOccurrence(d.cron, d.timeZone, new Date());
}

/** Retention limits: a positive bound, or null for none; left out, unchanged. */
function keepLimits(d: BriefDefinition, input: BriefDefinitionPatch) {
  const limits = { keepRuns: MAX_KEEP_RUNS, keepDays: MAX_KEEP_DAYS } as const;
  for (const [field, max] of Object.entries(limits) as Array<[keyof typeof limits, number]>) {
    const value = input[field];
    if (value === undefined) continue;
    if (value !== null && (!Number.isInteger(value) || value < 1 || value > max)) throw badUserInput(`input.${field}`, `must be between 1 and ${max}, or null`);
    d[field] = value;
  }
}

async function save(em: EntityManager, d: BriefDefinition): Promise<string> {
  try {
    return (await em.save(d)).id;
  } catch (error) {
    if ((error as { driverError?: { code?: string } }).driverError?.code === UNIQUE_VIOLATION) {
      throw conflict(`a brief definition named "${d.name}" already exists`);
    }
    throw error;
  }
}

/** Longest name of a definition. */
const MAX_NAME = 200;

export async function createDefinition(dataSource: DataSource, viewer: Viewer, input: BriefDefinitionInput) {
  const d = Object.assign(new BriefDefinition(), {
    paused: false,
    onlyWhenChanged: false,
    timeZone: 'UTC',
    formats: [BriefFormat.MARKDOWN],
    // Its runs are composed as its owner: a RED definition is the owner's alone, AMBER+STRICT their organisation's.
    ownerPrincipal: viewer.principal!,
    organisation: viewer.organisation,
    audience: viewer.principal ? [viewer.principal] : [],
    keepRuns: null,
    keepDays: null,
  });
  await apply(dataSource, viewer, d, { ...input, timeZone: input.timeZone ?? 'UTC', formats: input.formats ?? [BriefFormat.MARKDOWN] });
  d.id = uuid();
  return definitionNow(dataSource, viewer, await writeTransaction(dataSource, (em) => save(em, d)));
}

/**
 * A definition the viewer may change: one they can see, of their own organisation (or their own, without one).
 * Admins of other organisations get NOT_FOUND, as for a definition they cannot see.
 */
export async function definitionToChange(em: EntityManager, viewer: Viewer, globalId: string): Promise<BriefDefinition> {
  const d = await findDefinition(em, viewer, globalId, 'id');
  const ours = viewer.organisation ? d.organisation === viewer.organisation : d.ownerPrincipal === viewer.principal;
  if (!ours) throw notFound(`BriefDefinition ${globalId}`);
  return d;
}

/** Locks a definition for its change; NOT_FOUND when it was deleted meanwhile, so a change never brings it back. */
async function lockDefinition(em: EntityManager, d: BriefDefinition, globalId: string): Promise<void> {
  const [row] = await em.query<Array<{ id: string }>>(`SELECT id FROM brief_definition WHERE id = $1 FOR UPDATE`, [d.id]);
  if (!row) throw notFound(`BriefDefinition ${globalId}`);
}

export async function updateDefinition(dataSource: DataSource, viewer: Viewer, id: string, patch: BriefDefinitionPatch) {
  const d = await definitionToChange(dataSource.manager, viewer, id);
  await apply(dataSource, viewer, d, patch);
  const changed = await writeTransaction(dataSource, async (em) => {
    await lockDefinition(em, d, id);
    return save(em, d);
  });
  return definitionNow(dataSource, viewer, changed);
}

/** Paused definitions fall due no more; resuming starts from the next occurrence, so a pause misses nothing. */
export async function setPaused(dataSource: DataSource, viewer: Viewer, id: string, paused: boolean) {
  const changed = await writeTransaction(dataSource, async (em) => {
    await lockDefinition(em, await definitionToChange(em, viewer, id), id);
    const d = await definitionToChange(em, viewer, id);
    // The scheduler pauses a definition whose stored schedule it cannot read: resuming needs a readable one.
    if (!paused) checkSchedule(d.cron, d.timeZone, 'id');
    d.paused = paused;
    d.nextRunAt = paused ? null : nextOccurrence(d.cron, d.timeZone, new Date());
    return save(em, d);
  });
  return definitionNow(dataSource, viewer, changed);
}

export async function deleteDefinition(dataSource: DataSource, viewer: Viewer, id: string) {
  await writeTransaction(dataSource, async (em) => {
    const d = await definitionToChange(em, viewer, id);
    await em.delete(BriefDefinition, { id: d.id });
  });
  return id;
}
