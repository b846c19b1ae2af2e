import { badUserInput } from '../../common/errors';
import { Marking, MARKINGS } from '../../common/marking';
import type { Viewer } from '../../common/viewer';
import { credibilityBound } from '../../read/filters';
import { fromGlobalId } from '../../read/global-id';
import { Reliability } from '../source/source-grades';
import { BriefInput, BriefSection, ScopeInput } from './brief.inputs';

const SECTION_ORDER = Object.values(BriefSection);

/** A ScopeInput checked and put in canonical form: what a brief or an export reads, and for which clearance. */
export interface SelectionScope {
  topics: string[];
  actors: string[];
  from: string | null;
  to: string | null;
  minCredibility: number;
  minReliability: Reliability;
  clearance: Marking;
}

/**
 * A BriefInput checked and put in canonical form: defaults filled in, lists sorted and deduplicated.
 * Two inputs that ask for the same brief normalise to the same JSON, so it can be hashed and compared.
 */
export interface BriefScope extends SelectionScope {
  sections: BriefSection[];
  limitPerSection: number;
  keyJudgments: number;
  title: string | null;
}

const sortedUnique = (values: string[]) => [...new Set(values)].sort();
const rank = (marking: Marking) => MARKINGS.indexOf(marking);

function count(value: number | null | undefined, fallback: number, max: number, field: string): number {
  if (value === null || value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1 || value > max) throw badUserInput(field, `must be between 1 and ${max}`);
  return value;
}

/** Checks a scope for `viewer`; errors are BAD_USER_INPUT naming the field under `path` (e.g. `input`). */
export function selectionScopeOf(input: ScopeInput, viewer: Viewer, path = 'input', what = 'a brief'): SelectionScope {
  const topics = sortedUnique((input.topics ?? []).map((slug) => slug.trim()));
  if (topics.some((slug) => slug === '')) throw badUserInput(`${path}.topics`, 'a topic slug cannot be empty');
  const actors = sortedUnique((input.actors ?? []).map((id, i) => fromGlobalId(id, `${path}.actors[${i}]`, ['Actor']).id));
  if (topics.length === 0 && actors.length === 0) throw badUserInput(path, 'name at least one topic or actor to cover');
  if (input.from && input.to && input.from > input.to) throw badUserInput(`${path}.to`, 'the window ends before it starts');
  const clearance = input.clearance ?? viewer.clearance;
  if (rank(clearance) > rank(viewer.clearance)) {
    throw badUserInput(`${path}.clearance`, `${what} cannot be composed above your own clearance (${viewer.clearance})`);
  }
  return {
    topics,
    actors,
    from: input.from ?? null,
    to: input.to ?? null,
    minCredibility: credibilityBound(input.minCredibility, `${path}.minCredibility`) ?? 6,
    minReliability: input.minReliability ?? Reliability.F,
    clearance,
  };
}

/** Checks a brief input for `viewer`; errors are BAD_USER_INPUT naming the field under `path` (e.g. `input`). */
export function briefScopeOf(input: BriefInput, viewer: Viewer, path = 'input'): BriefScope {
  const { topics, actors, from, to, minCredibility, minReliability, clearance } = selectionScopeOf(input, viewer, path);
  const sections = input.sections?.length ? SECTION_ORDER.filter((s) => input.sections!.includes(s)) : SECTION_ORDER;
  const title = input.title?.trim() || null;
  return {
    topics,
    actors,
    from,
    to,
    minCredibility,
    minReliability,
    sections,
    limitPerSection: count(input.limitPerSection, 10, 100, `${path}.limitPerSection`),
    keyJudgments: count(input.keyJudgments, 3, 10, `${path}.keyJudgments`),
    clearance,
    title,
  };
}
