import { createHash } from 'node:crypto';
import { highestMarking } from '../../common/marking';
import { toGlobalId } from '../../read/global-id';
import type { CitationRow, StatementRow } from '../brief/brief.read';
import { compareText } from '../brief/brief.phrases';
import { STATEMENT_TYPE_NAME } from '../brief/brief.types';
import type { SinceHistory } from '../history/changes-since';
import { DeltaBaseline, type BriefDelta, type DeltaItem, type Snapshot } from './brief-delta.types';

const fingerprint = (value: unknown) =>
  createHash('sha256')
    .update(JSON.stringify(value ?? null))
    .digest('hex')
    .slice(0, 16);

/** A quantity as runs stored it before counts could be exact: a range keeps the fingerprint it had. */
const quantityFacet = (q: StatementRow['quantity']) => {
  if (!q || q.exact) return q;
  const { exact: _, ...range } = q;
  return range;
};

/** A citation as runs stored it before it could carry a locator: one without keeps the fingerprint it had. */
const citationFacet = (c: CitationRow) => {
  const facet: unknown[] = [c.source.id, c.verb, c.credibility, c.marking, c.quote];
  const locator = [c.url, c.page, c.paragraph, c.accessedOn];
  return locator.some((v) => v !== null) ? [...facet, ...locator] : facet;
};

/**
 * The facets of a statement a reader would call a change; each is compared on its own. A facet added later (asOf,
 * scope, horizon) is absent from runs stored before it, and is compared only against runs that have it.
 */
function facetsOf(s: StatementRow): Record<string, string> {
  return {
    text: fingerprint(s.text),
    marking: fingerprint(s.marking),
    actor: fingerprint([s.actor?.id, s.actor?.name]),
    counterpart: fingerprint([s.counterpart?.id, s.counterpart?.name]),
    validity: fingerprint([s.validFrom, s.validTo]),
    category: fingerprint(s.category),
    quantity: fingerprint(quantityFacet(s.quantity)),
    likelihood: fingerprint(s.likelihood),
    confidence: fingerprint(s.confidence),
    scope: fingerprint(s.scope),
    horizon: fingerprint(s.horizon),
    asOf: fingerprint(s.asOf),
    date: fingerprint([s.occurredOn, s.precision]),
    // As runs stored them before the brief read descriptions: only what the facet was.
    location: fingerprint(s.location ? { id: s.location.id, name: s.location.name, marking: s.location.marking } : s.location),
    actors: fingerprint(s.affectedActors?.map((a) => ({ id: a.id, name: a.name, marking: a.marking }))),
    description: fingerprint(s.description),
    citations: fingerprint(s.citations.map(citationFacet).sort()),
    // The original a citation relays is part of who stands behind it; left out when none, as runs stored before relays.
    sources: fingerprint(
      s.citations
        .map((c) => [c.source.id, c.source.name, c.source.reliability, c.source.marking, c.source.publisher, ...(c.original ? [c.original.id] : [])])
        .sort(),
    ),
  };
}

export function snapshotOf(statements: StatementRow[]): Snapshot {
  const snapshot: Snapshot = {};
  for (const s of statements) {
    // A relation's text names both its actors: it is marked at least as they are.
    const marking = highestMarking([s.marking, ...(s.kind === 'RELATION' ? [s.actor!.marking, s.counterpart!.marking] : [])]);
    snapshot[toGlobalId(STATEMENT_TYPE_NAME[s.kind], s.id)] = { kind: s.kind, text: s.text, marking, facets: facetsOf(s) };
  }
  return snapshot;
}

const byText = (a: DeltaItem, b: DeltaItem) => compareText(a.kind, b.kind) || compareText(a.text, b.text) || compareText(a.id, b.id);
const item = (id: string, entry: Snapshot[string], changes: string[] = []): DeltaItem => ({
  id,
  kind: entry.kind,
  text: entry.text,
  marking: entry.marking,
  changes,
});

/** Exact delta between two snapshots: added, removed, and changed with the facets that changed. */
/** `hideBaseline`: the reader may not know the baseline run, so its id is left out. */
export function diffSnapshots(before: Snapshot, after: Snapshot, since: Date, baselineRunId: string, hideBaseline = false): BriefDelta {
  const delta: BriefDelta = {
    baseline: DeltaBaseline.RUN,
    since: since.toISOString(),
    baselineRunId: hideBaseline ? null : baselineRunId,
    added: [],
    removed: [],
    changed: [],
    unchanged: 0,
  };
  for (const [id, entry] of Object.entries(after)) {
    const old = before[id];
    if (!old) delta.added.push(item(id, entry));
    else {
      const changes = Object.keys(entry.facets).filter((facet) => facet in old.facets && entry.facets[facet] !== old.facets[facet]);
      if (changes.length) delta.changed.push(item(id, entry, changes.sort()));
      else delta.unchanged += 1;
    }
  }
  for (const [id, entry] of Object.entries(before)) if (!after[id]) delta.removed.push(item(id, entry));
  [delta.added, delta.removed, delta.changed].forEach((list) => list.sort(byText));
  return delta;
}

/**
 * Without a stored run to compare with: what the recorded history says happened after `since` (see changesSince):
 * added when created (or first readable) after it, changed with the facets that changed.
 */
export function deltaByHistory(statements: StatementRow[], since: Date, history: ReadonlyMap<string, SinceHistory>): BriefDelta {
  const snapshot = snapshotOf(statements);
  const delta: BriefDelta = {
    baseline: DeltaBaseline.TIMESTAMPS,
    since: since.toISOString(),
    baselineRunId: null,
    added: [],
    removed: [],
    changed: [],
    unchanged: 0,
  };
  for (const s of statements) {
    const id = toGlobalId(STATEMENT_TYPE_NAME[s.kind], s.id);
    const since = history.get(s.id);
    if (since?.added) delta.added.push(item(id, snapshot[id]));
    else if (since?.changes.length) delta.changed.push(item(id, snapshot[id], since.changes));
    else delta.unchanged += 1;
  }
  [delta.added, delta.changed].forEach((list) => list.sort(byText));
  return delta;
}
