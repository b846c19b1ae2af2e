import { v5 as uuidv5 } from 'uuid';
import { Marking, MARKINGS } from '../../common/marking';
import type { BriefData, CitationRow, SourceRow, StatementKind, StatementRow } from '../brief/brief.read';
import { DOSSIER_IDENTITY, EXTENSIONS, extensionDefinition, type ExtensionKey } from './stix-extensions';
import { DOSSIER_STIX_NAMESPACE, stixId } from './stix-ids';
import { markingOfStixId, tlp2MarkingDefinition, TLP2_MARKING_IDS } from './stix-markings';
import {
  actorObject,
  actorStixId,
  citationObject,
  locationObject,
  sourceObject,
  statementObject,
  topicObject,
  type ObjectContext,
  type StixObject,
} from './stix-objects';
import type { StixDetails } from './stix-read';

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

/**
 * Granular markings for the references an object holds to more restricted objects: a TLP:CLEAR report of a topic
 * naming a TLP:AMBER statement marks that reference AMBER, so whoever passes the report on knows what the ref reveals.
 */
function markReferences(object: StixObject, markingOf: Map<string, Marking>): void {
  const own = markingOfStixId((object.object_marking_refs as string[] | undefined)?.[0] ?? '') ?? Marking.CLEAR;
  const selectors = new Map<Marking, string[]>();
  const walk = (value: unknown, path: string) => {
    if (typeof value === 'string') {
      const marking = markingOf.get(value);
      if (marking && rank(marking) > rank(own)) selectors.set(marking, [...(selectors.get(marking) ?? []), path]);
    } else if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}.[${i}]`));
    else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, `${path}.${k}`);
    }
  };
  for (const [key, value] of Object.entries(object)) if (!['id', 'type', 'object_marking_refs'].includes(key)) walk(value, key);
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

  const objects: StixObject[] = [
    ...details.actors.map((a) => actorObject(a, ctx)),
    ...details.locations.map((l) => locationObject(l, ctx)),
    ...statements.map((s) => statementObject(s, ctx)),
    ...citations.map(({ citation, statement }) => citationObject(citation, statement, citationCreated.get(citation.id)!, ctx)),
  ];
  const sources = new Map<string, { row: SourceRow; notes: string[] }>();
  for (const { citation } of citations) {
    const entry = sources.get(citation.source.id) ?? { row: citation.source, notes: [] };
    entry.notes.push(ctx.ids.get(citation.id)!);
    sources.set(citation.source.id, entry);
  }
  for (const [id, { row, notes }] of sources) objects.push(sourceObject(row, sourceDetails.get(id)!, notes.sort(), ctx));
  for (const topic of details.topics) {
    const members = [
      ...statements.filter((s) => ctx.statementTopics.get(s.id) === topic.id).map((s) => ctx.ids.get(s.id)!),
      ...topic.actorIds.map((id) => ctx.ids.get(id)).filter((id): id is string => Boolean(id)),
    ];
    // A report names at least one object: a topic with nothing the reader may see names its own marking.
    objects.push(topicObject(topic, members.length ? [...new Set(members)].sort() : [TLP2_MARKING_IDS[topic.marking]], ctx));
  }

  const markingOf = new Map<string, Marking>();
  for (const o of objects) markingOf.set(o.id, markingOfStixId((o.object_marking_refs as string[])[0])!);
  for (const o of objects) markReferences(o, markingOf);

  const used = new Set<string>();
  const extensionsUsed = new Set<string>();
  for (const o of objects) {
    for (const m of (o.object_marking_refs as string[]) ?? []) used.add(m);
    for (const g of (o.granular_markings as Array<{ marking_ref: string }> | undefined) ?? []) used.add(g.marking_ref);
    for (const key of Object.keys((o.extensions as Record<string, unknown> | undefined) ?? {})) extensionsUsed.add(key);
  }
  const definitions = (Object.keys(EXTENSIONS) as ExtensionKey[]).map(extensionDefinition).filter((d) => extensionsUsed.has(d.id));
  if (definitions.length) {
    objects.push(DOSSIER_IDENTITY, ...definitions);
    used.add(TLP2_MARKING_IDS[Marking.CLEAR]);
  }
  for (const marking of MARKINGS) if (used.has(TLP2_MARKING_IDS[marking as Marking])) objects.push(tlp2MarkingDefinition(marking as Marking));

  const sorted = (canonical(objects.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) as unknown[] | undefined) ?? [];
  const body = JSON.stringify(sorted);
  const id = `bundle--${uuidv5(body, DOSSIER_STIX_NAMESPACE)}`;
  // A bundle with no objects leaves the property out: STIX allows no empty list.
  const objectsPart = sorted.length ? `"objects":${body},` : '';
  return { id, objectCount: sorted.length, json: `{"id":${JSON.stringify(id)},${objectsPart}"type":"bundle"}` };
}
