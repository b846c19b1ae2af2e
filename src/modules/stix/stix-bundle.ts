import { Marking, MARKINGS } from '../../common/marking';
import type { BriefData, CitationRow, SourceRow, StatementKind, StatementRow } from '../brief/brief.read';
import { DOSSIER_IDENTITY, EXTENSIONS, extensionDefinition, type ExtensionKey } from './stix-extensions';
import { DOSSIER_STIX_NAMESPACE, stixId, uuidV5Writer } from './stix-ids';
import { markingOfStixId, tlp2MarkingDefinition, TLP2_MARKING_IDS } from './stix-markings';
import {
  actorObject,
  actorStixId,
  citationMarking,
  citationObject,
  locationObject,
  sourceObject,
  statementObject,
  topicObject,
  type ObjectContext,
  type StixObject,
} from './stix-objects';
import type { SourceDetail, StixDetails } from './stix-read';

/** The STIX type of each statement kind. */
const STATEMENT_TYPES: Record<StatementKind, string> = {
  CAPABILITY: EXTENSIONS.capability.sdoType,
  CHALLENGE: EXTENSIONS.challenge.sdoType,
  IMPLICATION: EXTENSIONS.judgment.sdoType,
  EVENT: EXTENSIONS.event.sdoType,
  RELATION: 'relationship',
};

const rank = (marking: Marking) => MARKINGS.indexOf(marking);

export interface StixBundle {
  id: string;
  objectCount: number;
  /** The bundle as canonical JSON: keys sorted, objects in id order, no null values. */
  json: string;
}

/** A bundle not yet joined: its id and each object's canonical text in id order, to be joined or streamed. */
export interface StixBundleParts {
  id: string;
  objectCount: number;
  texts: string[];
}

/** A value in canonical form: keys sorted, null and undefined left out, and so are empty lists and objects (STIX has none). */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(canonical).filter((v) => v !== undefined);
    return items.length ? items : undefined;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((k) => [k, canonical((value as Record<string, unknown>)[k])] as const)
      .filter(([, v]) => v !== undefined);
    return entries.length ? Object.fromEntries(entries) : undefined;
  }
  return value === null ? undefined : value;
}

/** Thrown by `canonicalText` for a value it does not write itself; none of the builders makes one. */
class Uncommon extends Error {}
const UNCOMMON = new Uncommon('a value canonicalText does not write');
/** An array index as a key: an object writes those first, in number order, whatever order they were set in. */
const INDEX_KEY = /^(0|[1-9]\d*)$/;

/**
 * `JSON.stringify(canonical(value))` without building the canonical copy: the objects' text straight from them. Strings,
 * numbers, booleans, lists and plain objects with names for keys are written here; anything else falls back to
 * canonical, for the whole object, so that the text is the same whatever the value.
 */
function canonicalJson(value: unknown): string | undefined {
  try {
    return canonicalText(value);
  } catch (error) {
    if (error !== UNCOMMON) throw error;
    return JSON.stringify(canonical(value));
  }
}

function canonicalText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) {
    const items: string[] = [];
    for (const item of value) {
      const text = canonicalText(item);
      if (text !== undefined) items.push(text);
    }
    return items.length ? `[${items.join(',')}]` : undefined;
  }
  const prototype: unknown = typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
  if (prototype !== Object.prototype && prototype !== null) throw UNCOMMON;
  const entries: string[] = [];
  for (const key of Object.keys(value).sort()) {
    if (INDEX_KEY.test(key)) throw UNCOMMON;
    const text = canonicalText((value as Record<string, unknown>)[key]);
    if (text !== undefined) entries.push(`${JSON.stringify(key)}:${text}`);
  }
  return entries.length ? `{${entries.join(',')}}` : undefined;
}

/**
 * Granular markings for the references an object holds to more restricted objects: a TLP:CLEAR report of a topic
 * naming a TLP:AMBER statement marks that reference AMBER, so whoever passes the report on knows what the ref reveals.
 */
function markReferences(object: StixObject, markingOf: Map<string, Marking>): void {
  const own = markingOfStixId((object.object_marking_refs as string[] | undefined)?.[0] ?? '') ?? Marking.CLEAR;
  const selectors = new Map<Marking, string[]>();
  // The path to the value walked, written out only for a reference that is marked: most objects have none.
  const path: Array<string | number> = [];
  const selector = () => path.map((p, i) => (typeof p === 'number' ? `.[${p}]` : i ? `.${p}` : p)).join('');
  const walk = (value: unknown) => {
    if (typeof value === 'string') {
      const marking = markingOf.get(value);
      if (marking && rank(marking) > rank(own)) selectors.set(marking, [...(selectors.get(marking) ?? []), selector()]);
    } else if (Array.isArray(value)) value.forEach((v, i) => walkAt(i, v));
    else if (value !== null && typeof value === 'object') {
      for (const k of Object.keys(value)) walkAt(k, (value as Record<string, unknown>)[k]);
    }
  };
  const walkAt = (step: string | number, value: unknown) => {
    path.push(step);
    walk(value);
    path.pop();
  };
  for (const key of Object.keys(object)) if (!['id', 'type', 'object_marking_refs'].includes(key)) walkAt(key, object[key]);
  if (selectors.size === 0) return;
  object.granular_markings = [...selectors.entries()]
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([marking, paths]) => ({ marking_ref: TLP2_MARKING_IDS[marking], selectors: paths.sort() }));
}

/** What a statement needs in the bundle to stand: its actors (a relation both of them). */
const standing = (s: StatementRow, ids: Map<string, string>) => (!s.actor || ids.has(s.actor.id)) && (!s.counterpart || ids.has(s.counterpart.id));

/**
 * The STIX 2.1 bundle of what a scope read (`data`, then `details`): only items both reads returned, so only what the
 * reader may see. Everything in it follows from the data: ids are UUID v5 of Dossier ids, timestamps are the items' own.
 */
export function stixBundleOf(data: BriefData, details: StixDetails): StixBundle {
  return bundleJson(stixBundlePartsOf(data, details));
}

/** The objects of `stixBundleOf`'s bundle and its id, each object's text apart: the streamed export writes them. */
export function stixBundlePartsOf(data: BriefData, details: StixDetails): StixBundleParts {
  const stixTerms = new Map(details.stixTerms.map((t) => [`${t.vocabulary}/${t.term}`, [t.stixVocabulary, t.stixTerm] as [string, string]]));
  const ctx: ObjectContext = {
    stixTerms,
    ids: new Map(),
    topicIds: new Map(details.topics.map((t) => [t.id, stixId('report', t.id)])),
    statementTopics: new Map(details.statementTopics.map((s) => [s.id, s.topicId])),
    access: new Map(details.access.map((a) => [a.id, a])),
  };
  for (const a of details.actors) ctx.ids.set(a.id, actorStixId(a, stixTerms));
  for (const l of details.locations) ctx.ids.set(l.id, stixId('location', l.id));
  const sourceDetails = new Map(details.sources.map((s) => [s.id, s]));
  for (const s of details.sources) ctx.ids.set(s.id, stixId('report', s.id));
  const statements = data.statements.filter((s) => ctx.statementTopics.has(s.id) && standing(s, ctx.ids));
  for (const s of statements) ctx.ids.set(s.id, stixId(STATEMENT_TYPES[s.kind], s.id));
  const citationCreated = new Map(details.citations.map((c) => [c.id, c.createdAt]));
  const citations: Array<{ citation: CitationRow; statement: StatementRow }> = [];
  for (const statement of statements) {
    for (const citation of statement.citations) {
      if (!citationCreated.has(citation.id) || !sourceDetails.has(citation.source.id)) continue;
      ctx.ids.set(citation.id, stixId('note', citation.id));
      citations.push({ citation, statement });
    }
  }

  const sources = new Map<string, { row: SourceRow; notes: string[] }>();
  for (const { citation } of citations) {
    const entry = sources.get(citation.source.id) ?? { row: citation.source, notes: [] };
    entry.notes.push(ctx.ids.get(citation.id)!);
    sources.set(citation.source.id, entry);
  }
  for (const entry of sources.values()) entry.notes.sort();
  const items = bundleItems(details, statements, citations, citationCreated, sources, sourceDetails, ctx);

  // Objects are built one at a time, marked and written as canonical JSON text at once: only the texts stay, so the
  // peak is the bundle's size and not its object graph's. References to an object need its marking before it is
  // built, so each item states it beside its builder.
  const markingOf = new Map<string, Marking>();
  for (const item of items) markingOf.set(item.id, item.marking);
  const entries: Array<{ id: string; text: string }> = [];
  const add = (o: StixObject) => entries.push({ id: o.id, text: canonicalJson(o)! });
  const used = new Set<string>();
  const extensionsUsed = new Set<string>();
  for (const item of items) {
    const o = item.object();
    markReferences(o, markingOf);
    for (const m of (o.object_marking_refs as string[]) ?? []) used.add(m);
    for (const g of (o.granular_markings as Array<{ marking_ref: string }> | undefined) ?? []) used.add(g.marking_ref);
    for (const key of Object.keys((o.extensions as Record<string, unknown> | undefined) ?? {})) extensionsUsed.add(key);
    add(o);
  }
  const definitions = (Object.keys(EXTENSIONS) as ExtensionKey[]).map(extensionDefinition).filter((d) => extensionsUsed.has(d.id));
  if (definitions.length) {
    [DOSSIER_IDENTITY, ...definitions].forEach(add);
    used.add(TLP2_MARKING_IDS[Marking.CLEAR]);
  }
  for (const marking of MARKINGS) if (used.has(TLP2_MARKING_IDS[marking as Marking])) add(tlp2MarkingDefinition(marking as Marking));

  // A stable sort, as the objects were sorted before they were texts.
  entries.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return bundleParts(entries.map((e) => e.text));
}

/** An item of the bundle: the id and marking of its STIX object, and how to build that object. */
interface Item {
  id: string;
  marking: Marking;
  object: () => StixObject;
}

/** The items in the bundle, in the order they were read. */
function bundleItems(
  details: StixDetails,
  statements: StatementRow[],
  citations: Array<{ citation: CitationRow; statement: StatementRow }>,
  citationCreated: Map<string, string>,
  sources: Map<string, { row: SourceRow; notes: string[] }>,
  sourceDetails: Map<string, SourceDetail>,
  ctx: ObjectContext,
): Item[] {
  const id = (dossierId: string) => ctx.ids.get(dossierId)!;
  const items: Item[] = [
    ...details.actors.map((a) => ({ id: id(a.id), marking: a.marking, object: () => actorObject(a, ctx) })),
    ...details.locations.map((l) => ({ id: id(l.id), marking: l.marking, object: () => locationObject(l, ctx) })),
    ...statements.map((s) => ({ id: id(s.id), marking: s.marking, object: () => statementObject(s, ctx) })),
    ...citations.map(({ citation, statement }) => ({
      id: id(citation.id),
      marking: citationMarking(citation, statement),
      object: () => citationObject(citation, statement, citationCreated.get(citation.id)!, ctx),
    })),
  ];
  for (const [sourceId, { row, notes }] of sources) {
    const detail = sourceDetails.get(sourceId)!;
    items.push({ id: id(sourceId), marking: detail.marking, object: () => sourceObject(row, detail, notes, ctx) });
  }
  for (const topic of details.topics) {
    const members = [
      ...statements.filter((s) => ctx.statementTopics.get(s.id) === topic.id).map((s) => id(s.id)),
      ...topic.actorIds.map((actorId) => ctx.ids.get(actorId)).filter((x): x is string => Boolean(x)),
    ];
    // A report names at least one object: a topic with nothing the reader may see names its own marking.
    const refs = members.length ? [...new Set(members)].sort() : [TLP2_MARKING_IDS[topic.marking]];
    items.push({ id: ctx.topicIds.get(topic.id)!, marking: topic.marking, object: () => topicObject(topic, refs, ctx) });
  }
  return items;
}

/** The id of a bundle of objects already in canonical text and id order: a hash of their JSON array, piece by piece. */
function bundleParts(texts: string[]): StixBundleParts {
  const body = uuidV5Writer(DOSSIER_STIX_NAMESPACE);
  body.write('[');
  texts.forEach((text, i) => body.write(i ? `,${text}` : text));
  body.write(']');
  return { id: `bundle--${body.uuid()}`, objectCount: texts.length, texts };
}

/**
 * The pieces of a bundle's text: `bundleHead`, then each object's text, `BUNDLE_SEPARATOR` between two, then
 * `bundleTail`. Joined, they are the bundle; the GraphQL field and the streamed export both write them so.
 */
// A bundle with no objects leaves the property out: STIX allows no empty list.
export const bundleHead = (parts: StixBundleParts) => `{"id":${JSON.stringify(parts.id)},${parts.objectCount ? '"objects":[' : ''}`;
export const BUNDLE_SEPARATOR = ',';
export const bundleTail = (parts: StixBundleParts) => `${parts.objectCount ? '],' : ''}"type":"bundle"}`;

/** The bundle's text in pieces, in order: joined, they are `stixBundleOf`'s `json`. */
export function* bundlePieces(parts: StixBundleParts): Generator<string> {
  yield bundleHead(parts);
  for (let i = 0; i < parts.texts.length; i++) {
    if (i) yield BUNDLE_SEPARATOR;
    yield parts.texts[i];
  }
  yield bundleTail(parts);
}

/** The bundle's text, joined once: no other copy of the whole bundle is made on the way. */
function bundleJson(parts: StixBundleParts): StixBundle {
  const { id, objectCount, texts } = parts;
  if (!objectCount) return { id, objectCount, json: `${bundleHead(parts)}${bundleTail(parts)}` };
  texts[0] = `${bundleHead(parts)}${texts[0]}`;
  texts[objectCount - 1] = `${texts[objectCount - 1]}${bundleTail(parts)}`;
  return { id, objectCount, json: texts.join(BUNDLE_SEPARATOR) };
}
