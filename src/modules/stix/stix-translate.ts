import { forbidden } from '../../common/errors';
import { highestMarking, Marking, MARKINGS } from '../../common/marking';
import type { Viewer } from '../../common/viewer';
import { fixtureId } from '../fixture/fixture.ids';
import { Vocabulary } from '../vocabulary/vocabularies';
import { credibilityOfConfidence } from './stix-confidence';
import { DOSSIER_IDENTITY, EXTENSIONS, extensionId, type ExtensionKey } from './stix-extensions';
import { markingOfStixId, markingOfTlpDefinition } from './stix-markings';
import type { RawObject } from './stix-parse';

// A STIX bundle as a Dossier import document: each object it can map becomes a record of the document, with the id,
// times and readers it had; what it cannot map is skipped with its reason. Objects Dossier exported carry its
// extensions and map back exactly; objects of other tools map as far as STIX says what they are.

type Rec = Record<string, unknown>;

/** Terms of the vocabularies a bundle's values map onto, with their STIX spelling. */
export interface Terms {
  terms: Array<{ vocabulary: string; term: string; stixVocabulary: string | null; stixTerm: string | null }>;
}

/** What became of one STIX object: the item, for the record of STIX objects. */
export interface Mapped {
  stixId: string;
  itemId: string;
  table: string;
  modified: string;
  confidence: number | null;
  reliability: string | null;
}

export interface Translation {
  document: Rec;
  ids: Map<string, string>;
  stamps: Map<string, { created: string; modified: string }>;
  mapped: Mapped[];
  skipped: Array<{ id: string; type: string; reason: string }>;
  /** Item ids by STIX id, for `leave` and `retract`. */
  citationsOf: Map<string, string[]>;
}

const rank = (m: Marking) => MARKINGS.indexOf(m);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const keyOf = (stixId: string) => stixId.toLowerCase().replace('--', '-');
const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
const day = (v: unknown) => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v) ? v.slice(0, 10) : undefined);
const httpUrl = (v: unknown) => (typeof v === 'string' && /^https?:\/\/[^\s<>]+$/.test(v) ? v : undefined);
const defined = (o: Rec) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null));
/** A Dossier extension's properties on an object, when it carries them. */
const ext = (o: RawObject, key: ExtensionKey) => (o.extensions as Record<string, Rec> | undefined)?.[extensionId(key)];
const TABLES: Record<string, string> = {
  capabilities: 'capability',
  challenges: 'challenge',
  implications: 'implication',
  events: 'event',
  relations: 'actor_relation',
};
const ACTOR_TYPES = new Set(['identity', 'threat-actor', 'intrusion-set']);
const NEW_SDOS: Record<string, { section: string; key: ExtensionKey }> = {
  [EXTENSIONS.capability.sdoType]: { section: 'capabilities', key: 'capability' },
  [EXTENSIONS.challenge.sdoType]: { section: 'challenges', key: 'challenge' },
  [EXTENSIONS.judgment.sdoType]: { section: 'implications', key: 'judgment' },
  [EXTENSIONS.event.sdoType]: { section: 'events', key: 'event' },
};
/** Objects that say how to read the others: used, never items of their own. */
const META = new Set(['marking-definition', 'extension-definition', 'language-content']);
/** What an actor `uses` that Dossier keeps as a capability of the actor. */
const USED = new Set(['malware', 'tool', 'attack-pattern']);
/**
 * A report's, note's or opinion's object_refs: a granular marking on them marks which statements it speaks of, that is
 * the citations made of it (pointerLevel), not the source itself. A marking on any other property marks the object.
 */
const OBJECT_REFS = /^object_refs(\.\[\d+\])?$/;
const granular = (o: RawObject) => (o.granular_markings as Array<{ marking_ref?: string; selectors?: string[] }> | undefined) ?? [];

/** OpenCTI's reliability ("B - Usually reliable", or a bare letter), as the Admiralty letter it starts with. */
const reliabilityOf = (v: unknown) => (typeof v === 'string' ? /^([A-F])(\s|$|-)/.exec(v.trim())?.[1] : undefined);

export class BundleTranslation {
  private readonly byId: Map<string, RawObject>;
  private readonly t: Translation = { document: {}, ids: new Map(), stamps: new Map(), mapped: [], skipped: [], citationsOf: new Map() };
  private readonly sections: Record<string, Rec[]> = {
    actors: [],
    locations: [],
    sources: [],
    capabilities: [],
    challenges: [],
    implications: [],
    events: [],
    relations: [],
  };
  /** STIX id -> the key of the record it became, by section. */
  private readonly keys = new Map<string, { section: string; key: string }>();
  private readonly accessOf = new Map<string, { marking: Marking; organisation?: string; audience: string[] }>();
  private readonly stixToDossier: Map<string, [string, string]>;
  private readonly relationTypes: Set<string>;

  constructor(
    objects: RawObject[],
    private readonly viewer: Viewer,
    private readonly name: string,
    private readonly document: string,
    terms: Terms,
    /** STIX ids whose items this document holds already (for refs to revoked objects). */
    private readonly revoked: Set<string>,
    /** Dossier ids of items the importer may not see: never bound to. */
    private readonly hidden: Set<string> = new Set(),
  ) {
    this.byId = new Map(objects.map((o) => [o.id, o]));
    this.stixToDossier = new Map(terms.terms.filter((x) => x.stixTerm).map((x) => [`${x.stixVocabulary}/${x.stixTerm}`, [x.vocabulary, x.term]]));
    this.relationTypes = new Set(terms.terms.filter((x) => x.vocabulary === Vocabulary.RELATION_TYPE).map((x) => x.term));
  }

  private skip(o: RawObject, reason: string) {
    this.t.skipped.push({ id: o.id, type: o.type, reason });
  }

  private term(stixVocabulary: string, stixTerm: unknown, vocabulary: string): string | undefined {
    const found = this.stixToDossier.get(`${stixVocabulary}/${String(stixTerm)}`);
    return found && found[0] === vocabulary ? found[1] : undefined;
  }

  /** The most restrictive marking the importer may write: what an object of unknown marking gets, never lower. */
  private mostRestrictive(): Marking {
    const { clearance, organisation } = this.viewer;
    return clearance === Marking.AMBER_STRICT && !organisation ? Marking.AMBER : clearance;
  }

  /**
   * Who may read an object: its TLP marking (2.0 or 1.0 standard ids, or a bundle's own definition that states a TLP
   * level; the highest of several), its granular markings
   * (but those on object_refs, which mark the citations made of them); any other marking is unknown and gives the
   * most restrictive level the importer may write. A known marking above the importer's clearance refuses the bundle.
   */
  private access(o: RawObject) {
    const cached = this.accessOf.get(o.id);
    if (cached) return cached;
    const refs = [
      ...((o.object_marking_refs as string[] | undefined) ?? []),
      ...granular(o)
        .filter((g) => (g.selectors ?? []).some((s) => !OBJECT_REFS.test(s)))
        .map((g) => g.marking_ref ?? ''),
    ];
    const final = this.level(o, refs);
    const own = ext(o, this.extensionKey(o)) ?? (NEW_SDOS[o.type] ? o : {});
    if (final === Marking.AMBER_STRICT && own.organisation !== undefined && own.organisation !== this.viewer.organisation) {
      throw forbidden(`${o.id} is AMBER+STRICT within ${JSON.stringify(own.organisation)}, not your organisation: nothing was imported`);
    }
    const audience = Array.isArray(own.audience) ? own.audience.filter((a): a is string => typeof a === 'string') : [];
    const result = {
      marking: final,
      ...(final === Marking.AMBER_STRICT ? { organisation: this.viewer.organisation ?? undefined } : {}),
      audience: final === Marking.RED ? [...new Set([...audience, this.viewer.principal!])].sort() : [],
    };
    this.accessOf.set(o.id, result);
    return result;
  }

  /** The marking `refs` give `o` (CLEAR for none); FORBIDDEN above the importer's clearance. */
  private level(o: RawObject, refs: string[]): Marking {
    const known: Marking[] = [];
    let unknown = false;
    for (const ref of refs) {
      const marking = markingOfStixId(ref) ?? markingOfTlpDefinition(this.byId.get(ref));
      if (marking) known.push(marking);
      // A statement marking (copyright, terms of use) says nothing of who may read.
      else if ((this.byId.get(ref)?.definition_type as string | undefined)?.toLowerCase() !== 'statement') unknown = true;
    }
    const marking = known.length ? highestMarking(known) : Marking.CLEAR;
    if (rank(marking) > rank(this.viewer.clearance)) {
      throw forbidden(`${o.id} is marked ${marking}, above your clearance (${this.viewer.clearance}): nothing was imported`);
    }
    return unknown && rank(this.mostRestrictive()) > rank(marking) ? this.mostRestrictive() : marking;
  }

  /** What `source`'s granular markings on its object_refs give the pointer to `o`: the citation made of it. */
  private pointerLevel(source: RawObject, o: RawObject): Marking {
    const list = (source.object_refs as unknown[] | undefined) ?? [];
    const names = (sel: string) => sel === 'object_refs' || list[Number(/^object_refs\.\[(\d+)\]$/.exec(sel)?.[1] ?? -1)] === o.id;
    const refs = granular(source)
      .filter((g) => (g.selectors ?? []).some(names))
      .map((g) => g.marking_ref ?? '');
    return refs.length ? this.level(source, refs) : Marking.CLEAR;
  }

  private extensionKey(o: RawObject): ExtensionKey {
    if (ACTOR_TYPES.has(o.type)) return 'actor';
    if (o.type === 'report') return ext(o, 'topic') ? 'topic' : 'source';
    return ({ location: 'location', note: 'citation', relationship: 'relation' } as Record<string, ExtensionKey>)[o.type] ?? 'actor';
  }

  /**
   * The item an object becomes: the Dossier id it was exported with, or one of the document's own derived from the
   * STIX id (so two documents taking in the same object keep apart, as for every import).
   */
  private id(o: RawObject, key: ExtensionKey | null, path: string, ...more: string[]): string {
    const dossierId = key ? (ext(o, key)?.dossier_id ?? (NEW_SDOS[o.type] ? o.dossier_id : undefined)) : undefined;
    const id =
      typeof dossierId === 'string' && UUID.test(dossierId) && !this.hidden.has(dossierId) ? dossierId : fixtureId('by', this.document, 'stix', o.id, ...more);
    this.t.ids.set(path, id);
    return id;
  }

  private stamp(itemId: string | undefined, o: RawObject) {
    if (itemId) this.t.stamps.set(itemId, { created: String(o.created ?? o.modified), modified: String(o.modified ?? o.created) });
  }

  private readonly actorRecords = new Map<string, Rec>();

  private record(section: string, o: RawObject, record: Rec, key = keyOf(o.id)) {
    this.keys.set(o.id, { section, key });
    const full = { key, ...defined(record), ...this.access(o) };
    this.sections[section].push(full);
    if (section === 'actors') this.actorRecords.set(key, full);
  }

  private keyIn(section: string, ref: unknown): string | undefined {
    const k = typeof ref === 'string' ? this.keys.get(ref) : undefined;
    return k?.section === section ? k.key : undefined;
  }

  translate(): Translation {
    const objects = [...this.byId.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
    const of = (types: (o: RawObject) => boolean) => objects.filter((o) => types(o) && !this.revokedOne(o));
    const topics = of((o) => o.type === 'report' && !!ext(o, 'topic'));
    const topic = topics[0];
    for (const o of topics.slice(1)) this.skip(o, 'a second topic: import each topic of a bundle under its own name');
    for (const o of of((o) => ACTOR_TYPES.has(o.type))) this.actor(o);
    for (const o of of((o) => ACTOR_TYPES.has(o.type))) this.parent(o);
    for (const o of of((o) => o.type === 'location')) this.location(o);
    for (const o of of((o) => o.type === 'report' && !ext(o, 'topic'))) this.source(o);
    for (const o of of((o) => o.type === 'note' && !ext(o, 'citation'))) this.source(o);
    for (const o of of((o) => o.type === 'opinion')) this.source(o);
    const statements = of((o) => !!NEW_SDOS[o.type] || o.type === 'relationship');
    for (const o of statements) this.statement(o, topic);
    const used = new Set(this.sections.capabilities.map((c) => c.usesRef as string).filter(Boolean));
    for (const c of this.sections.capabilities) delete c.usesRef;
    for (const o of objects) {
      if (this.revokedOne(o)) continue;
      if (this.keys.has(o.id) || META.has(o.type) || o === topic || topics.includes(o) || o.id === DOSSIER_IDENTITY.id) continue;
      if (o.type === 'note' && ext(o, 'citation')) continue;
      if (USED.has(o.type) && used.has(o.id)) continue;
      if (!NEW_SDOS[o.type] && o.type !== 'relationship') this.skip(o, `Dossier does not model ${o.type}`);
    }
    this.t.document = { topic: this.topicRecord(topic), ...this.sections };
    return this.t;
  }

  private revokedOne(o: RawObject): boolean {
    if (o.revoked !== true) return false;
    if (!this.revoked.has(o.id) && !this.t.skipped.some((x) => x.id === o.id)) this.skip(o, 'revoked, and never imported by this document');
    return true;
  }

  private topicRecord(topic: RawObject | undefined): Rec {
    if (!topic) {
      const key = `stix-${this.name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '')}`
        .slice(0, 100)
        .replace(/-+$/, '');
      return { key, title: `STIX bundles "${this.name}"`, summary: `What the STIX bundles imported as "${this.name}" hold.` };
    }
    const e = ext(topic, 'topic')!;
    const id = this.id(topic, 'topic', 'topic');
    this.stamp(id, topic);
    this.mapped(topic, id, 'topic');
    return { key: e.slug, title: topic.name, summary: topic.description, startsOn: e.starts_on, endsOn: e.ends_on, ...this.access(topic) };
  }

  private mapped(o: RawObject, itemId: string, table: string, reliability: string | null = null) {
    const confidence = typeof o.confidence === 'number' ? o.confidence : null;
    this.t.mapped.push({ stixId: o.id, itemId, table, modified: String(o.modified ?? o.created), confidence, reliability });
  }

  private actor(o: RawObject) {
    if (o.id === DOSSIER_IDENTITY.id) return;
    const e = ext(o, 'actor');
    const name = str(o.name);
    if (!name) return this.skip(o, 'has no name');
    const key = keyOf(o.id);
    const id = this.id(o, 'actor', `actors/${key}`);
    if (e) {
      const externalIds = ((o.external_references as Rec[] | undefined) ?? [])
        .filter((r) => str(r.external_id))
        .map((r) => ({ scheme: r.source_name, value: r.external_id }));
      this.record('actors', o, {
        name,
        kind: e.kind,
        aliases: e.aliases,
        countryCode: e.country_code,
        description: str(o.description),
        externalIds,
      });
    } else {
      const kind =
        o.type === 'threat-actor'
          ? (this.term('threat-actor-type-ov', (o.threat_actor_types as unknown[] | undefined)?.[0], Vocabulary.ACTOR_KIND) ?? 'UNKNOWN')
          : o.type === 'intrusion-set'
            ? 'GROUP'
            : (this.term('identity-class-ov', o.identity_class, Vocabulary.ACTOR_KIND) ?? 'ORGANISATION');
      const aliases = ((o.aliases as unknown[] | undefined) ?? []).map(str).filter((a): a is string => !!a && a.toLowerCase() !== name.toLowerCase());
      // Its STIX id is kept as an identifier: the actor is found by it again, and exported under it.
      this.record('actors', o, { name, kind, aliases, description: str(o.description), externalIds: [{ scheme: 'STIX', value: o.id }] });
    }
    this.stamp(id, o);
    this.mapped(o, id, 'actor');
  }

  private parent(o: RawObject) {
    const parent = ext(o, 'actor')?.parent_ref;
    const record = this.actorRecords.get(keyOf(o.id));
    if (!record) return;
    const key = this.keyIn('actors', parent);
    if (key) record.parent = key;
  }

  private location(o: RawObject) {
    const e = ext(o, 'location');
    const key = keyOf(o.id);
    const country = typeof o.country === 'string' && /^[A-Za-z]{2}$/.test(o.country) ? o.country.toUpperCase() : undefined;
    const name = str(o.name) ?? str(o.city) ?? str(o.administrative_area) ?? country ?? str(o.region);
    if (!name) return this.skip(o, 'has no name, country or region');
    const kind = e?.kind ?? (o.city ? 'CITY' : o.administrative_area ? 'REGION' : country && !o.latitude ? 'COUNTRY' : 'AREA');
    const id = this.id(o, 'location', `locations/${key}`);
    const placed = typeof o.latitude === 'number' && typeof o.longitude === 'number';
    this.record('locations', o, {
      name,
      kind,
      countryCode: country,
      latitude: placed ? o.latitude : undefined,
      longitude: placed ? o.longitude : undefined,
      description: str(o.description),
    });
    this.stamp(id, o);
    this.mapped(o, id, 'location');
  }

  /** A report (a Dossier source, or another tool's report), or another tool's note or opinion: a source. */
  private source(o: RawObject) {
    const e = ext(o, 'source');
    const key = keyOf(o.id);
    const author = typeof o.created_by_ref === 'string' ? this.byId.get(o.created_by_ref) : undefined;
    const given = (o.x_opencti_reliability ?? author?.x_opencti_reliability) as string | undefined;
    const url = ((o.external_references as Rec[] | undefined) ?? []).map((r) => httpUrl(r.url)).find(Boolean);
    const id = this.id(o, 'source', `sources/${key}`);
    if (e) {
      this.record('sources', o, {
        name: str(o.name),
        kind: e.kind,
        publisher: this.keyIn('actors', e.publisher_ref),
        url: e.url,
        publishedOn: e.published_on,
        reliability: e.reliability,
        description: str(o.description),
      });
    } else {
      const what = o.type === 'report' ? 'Report' : o.type === 'note' ? 'Note' : 'Opinion';
      const name = str(o.name) ?? str(o.abstract) ?? `${what} ${o.id}`;
      const kind =
        o.type === 'report' ? (this.term('report-type-ov', (o.report_types as unknown[] | undefined)?.[0], Vocabulary.SOURCE_KIND) ?? 'OTHER') : 'OTHER';
      this.record('sources', o, {
        name: name.slice(0, 1000),
        kind,
        publisher: this.keyIn('actors', o.created_by_ref),
        url,
        publishedOn: day(o.published ?? o.created),
        // The reliability of the source as the other tool gave it; F ("cannot be judged") when it gave none.
        reliability: reliabilityOf(given) ?? 'F',
        description: str(o.description) ?? str(o.content) ?? str(o.explanation),
      });
    }
    this.stamp(id, o);
    this.mapped(o, id, 'source', given ?? null);
  }

  /** Reports, notes and opinions of other tools that name `o`: the sources its citations cite. */
  private citingSources(o: RawObject): Array<{ source: RawObject; key: string }> {
    if (!this.citing) {
      // Indexed once: every statement looks its sources up.
      this.citing = new Map();
      for (const s of this.byId.values()) {
        const key = this.keyIn('sources', s.id);
        if (!key || ext(s, 'source')) continue;
        for (const ref of new Set((s.object_refs as string[] | undefined) ?? [])) {
          const list = this.citing.get(ref) ?? [];
          list.push({ source: s, key });
          this.citing.set(ref, list);
        }
      }
    }
    return this.citing.get(o.id) ?? [];
  }

  private citing?: Map<string, Array<{ source: RawObject; key: string }>>;
  private notesOf?: Map<string, RawObject[]>;

  /** Dossier's own citation notes on `o`. */
  private ownNotes(o: RawObject): RawObject[] {
    if (!this.notesOf) {
      this.notesOf = new Map();
      for (const n of this.byId.values()) {
        const statement = n.type === 'note' && !n.revoked ? ext(n, 'citation')?.statement_ref : undefined;
        if (typeof statement === 'string') this.notesOf.set(statement, [...(this.notesOf.get(statement) ?? []), n]);
      }
    }
    return this.notesOf.get(o.id) ?? [];
  }

  private statement(o: RawObject, topic: RawObject | undefined) {
    const sdo = NEW_SDOS[o.type];
    const e = sdo ? (o as Rec) : ext(o, 'relation');
    if (e && topic && e.topic_ref !== undefined && e.topic_ref !== topic.id) return this.skip(o, 'belongs to another topic of the bundle');
    const refs = [o.actor_ref, o.location_ref, ...((o.affected_refs as unknown[]) ?? []), o.source_ref, o.target_ref].filter(Boolean) as string[];
    const revoked = refs.find((r) => this.byId.get(r)?.revoked === true);
    if (revoked) return this.skip(o, `refers to ${revoked}, which is revoked`);
    const key = keyOf(o.id);
    let section: string;
    let record: Rec;
    let usesRef: string | undefined;
    if (sdo) {
      section = sdo.section;
      const quantity = o.quantity as Rec | undefined;
      const q =
        quantity &&
        defined({ low: quantity.low, best: quantity.best, high: quantity.high, unit: quantity.unit, asStated: quantity.as_stated, exact: quantity.exact });
      const actors = ((o.affected_refs as unknown[]) ?? []).map((r) => this.keyIn('actors', r)).filter(Boolean);
      record = {
        capabilities: { actor: this.keyIn('actors', o.actor_ref), category: o.category, statement: o.description, quantity: q },
        challenges: { actor: this.keyIn('actors', o.actor_ref), category: o.category, statement: o.description, quantity: q },
        implications: {
          statement: o.description,
          likelihood: o.likelihood,
          confidence: o.analytic_confidence,
          scope: o.scope,
          horizon: o.horizon,
          asOf: o.as_of,
          affectedActors: actors,
          quantity: q,
        },
        events: {
          title: o.name,
          description: str(o.description),
          occurredOn: o.occurred_on,
          precision: o.precision,
          location: this.keyIn('locations', o.location_ref),
          actors,
          quantity: q,
        },
      }[section]!;
    } else {
      const from = this.keyIn('actors', o.source_ref);
      const to = this.keyIn('actors', o.target_ref);
      const target = this.byId.get(String(o.target_ref));
      if (from && target && USED.has(target.type) && o.relationship_type === 'uses' && !e) {
        // An actor using malware, a tool or a technique: what it can do in and against networks.
        section = 'capabilities';
        const name = str(target.name) ?? target.id;
        usesRef = target.id;
        record = {
          actor: from,
          category: 'CYBER',
          statement: `Uses ${target.type.replace('-', ' ')} ${name}.${str(o.description) ? ` ${str(o.description)}` : ''}`,
        };
      } else {
        if (!from || !to) return this.skip(o, 'a relationship Dossier keeps only between two actors');
        if (from === to) return this.skip(o, 'a relationship of an actor with itself');
        const type =
          (e?.relation_type as string | undefined) ??
          this.term('relationship-type', o.relationship_type, Vocabulary.RELATION_TYPE) ??
          (str(o.relationship_type) ?? '').toUpperCase().replace(/-/g, '_');
        if (!this.relationTypes.has(type)) return this.skip(o, `relationship type "${String(o.relationship_type)}" has no Dossier relation type`);
        section = 'relations';
        record = {
          from,
          to,
          type,
          validFrom: e?.valid_from ?? day(o.start_time),
          validTo: e?.valid_to ?? day(o.stop_time),
          description: str(o.description),
        };
      }
    }
    const id = this.id(o, e ? (sdo?.key ?? 'relation') : null, `${section}/${key}`);
    const citations = this.citations(o, section, key, !!e);
    if (!citations.length) return this.skip(o, 'no citation of it in the bundle: Dossier keeps no statement without its source');
    const access = this.access(o);
    // A statement is read by no more people than the most widely read of its sources allows.
    const floor = citations.map((c) => c.marking as Marking).reduce((low, m) => (rank(m) < rank(low) ? m : low), Marking.RED);
    const raised = !e && rank(floor) > rank(access.marking) ? { ...access, marking: floor, ...this.widened(floor) } : {};
    this.keys.set(o.id, { section, key });
    this.sections[section].push({ key, ...defined(record), ...access, ...raised, citations, ...(usesRef ? { usesRef } : {}) });
    this.stamp(id, o);
    this.mapped(o, id, TABLES[section]);
  }

  /** The organisation and audience a marking needs, for the importer. */
  private widened(marking: Marking) {
    return {
      ...(marking === Marking.AMBER_STRICT ? { organisation: this.viewer.organisation ?? undefined } : {}),
      audience: marking === Marking.RED ? [this.viewer.principal!] : [],
    };
  }

  private citations(o: RawObject, section: string, key: string, own: boolean): Rec[] {
    const path = (j: number) => `${section}/${key}/citations/${j}`;
    const list: Rec[] = [];
    const ids: string[] = [];
    if (own) {
      for (const n of this.ownNotes(o)) {
        const c = ext(n, 'citation')!;
        const source = this.keyIn('sources', c.source_ref);
        if (!source) continue;
        const j = list.length;
        const itemId = this.id(n, 'citation', path(j));
        const access = this.access(n);
        list.push({
          ...defined({
            source,
            verb: c.verb,
            quote: c.quote,
            url: c.url,
            page: c.page,
            paragraph: c.paragraph,
            accessedOn: c.accessed_on,
            credibility: c.credibility,
          }),
          ...access,
        });
        this.stamp(itemId, n);
        this.mapped(n, itemId, 'citation');
        ids.push(itemId);
      }
    } else {
      const citing = this.citingSources(o);
      const quote = str(o.description) ?? `${o.type === 'relationship' ? String(o.relationship_type) : o.type} (${o.id})`;
      for (const { source, key: sourceKey } of citing) {
        const verb =
          source.type === 'note' ? 'STATES' : source.type === 'opinion' ? (/disagree/.test(String(source.opinion)) ? 'DENIES' : 'ASSESSES') : 'REPORTS';
        // A confidence is mapped only through Appendix A; an opinion has none onto credibility.
        const credibility =
          source.type === 'opinion' ? 6 : credibilityOfConfidence(source.type === 'note' ? (source.confidence ?? o.confidence) : o.confidence);
        const text =
          source.type === 'note' ? (str(source.content) ?? quote) : source.type === 'opinion' ? (str(source.explanation) ?? String(source.opinion)) : quote;
        const marking = highestMarking([this.access(o).marking, this.access(source).marking, this.pointerLevel(source, o)]);
        // Its id follows from the statement and the source, its times from the statement.
        const itemId = this.id(o, null, path(list.length), 'cited-by', source.id);
        this.stamp(itemId, o);
        ids.push(itemId);
        list.push({ source: sourceKey, verb, quote: text, credibility, marking, ...this.widened(marking) });
      }
    }
    this.t.citationsOf.set(o.id, ids);
    return list;
  }
}
