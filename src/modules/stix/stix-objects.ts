import { highestMarking, Marking } from '../../common/marking';
import type { CitationRow, QuantityRow, SourceRow, StatementRow } from '../brief/brief.read';
import { occurredInterval } from '../event/event.dates';
import { Confidence, Likelihood } from '../implication/judgment-scales';
import { Vocabulary } from '../vocabulary/vocabularies';
import { ANALYTIC_CONFIDENCE, CREDIBILITY_CONFIDENCE, LIKELIHOOD_CONFIDENCE } from './stix-confidence';
import { EXTENSIONS, extensionEntry, type ExtensionKey } from './stix-extensions';
import { stixId, stixTimestamp, typeOfStixId } from './stix-ids';
import { TLP2_MARKING_IDS } from './stix-markings';
import type { ActorDetail, LocationDetail, SourceDetail, Stamped, TopicDetail } from './stix-read';

// One Dossier item -> one STIX object. Values that are null stay in place here; the bundle drops them (STIX has no
// null) when it puts keys in canonical order.

export type StixObject = { type: string; id: string } & Record<string, unknown>;

/** STIX types an actor can be exported as; a STIX identifier among its external ids picks one of them. */
export const ACTOR_TYPES = ['identity', 'threat-actor', 'intrusion-set'];

/** What the builders look up: the STIX spelling of terms and the STIX ids of exported items. */
export interface ObjectContext {
  /** `vocabulary/term` -> [STIX vocabulary, STIX term]. */
  stixTerms: Map<string, [string, string]>;
  /** Dossier id -> STIX id, for every item in the bundle. */
  ids: Map<string, string>;
  /** Dossier id of a topic -> STIX id of its report, when exported. */
  topicIds: Map<string, string>;
  /** Dossier id of a statement -> its topic. */
  statementTopics: Map<string, string>;
  /** Dossier id -> its organisation and audience, where it has either. */
  access: Map<string, { organisation: string | null; audience: string[] }>;
}

/**
 * An AMBER+STRICT item's organisation and a RED item's audience (who may read it besides the marking), so that an
 * import of the bundle gives it to the same readers; nothing for other markings, where they mean nothing.
 */
export function accessOf(ctx: ObjectContext, id: string, marking: Marking) {
  const access = ctx.access.get(id);
  return {
    organisation: marking === Marking.AMBER_STRICT ? (access?.organisation ?? undefined) : undefined,
    audience: marking === Marking.RED ? access?.audience : undefined,
  };
}

const ref = (ctx: ObjectContext, dossierId: string | null | undefined) => (dossierId ? ctx.ids.get(dossierId) : undefined);
const refs = (ctx: ObjectContext, items: Array<{ id: string }> | undefined) =>
  (items ?? []).map((i) => ctx.ids.get(i.id)).filter((id): id is string => Boolean(id));
const endOfDay = (day: string) => `${day}T23:59:59.999Z`;
/** "deploys-forces-to" for DEPLOYS_FORCES_TO: a term without a STIX spelling, in STIX's style. */
const kebab = (term: string) => term.toLowerCase().replace(/_/g, '-');

/** The properties every SDO and SRO has; `modified` never before `created`. */
function common(type: string, id: string, row: Stamped) {
  const created = stixTimestamp(row.createdAt);
  const modified = stixTimestamp(row.updatedAt);
  return {
    type,
    spec_version: '2.1',
    id,
    created,
    modified: modified < created ? created : modified,
    object_marking_refs: [TLP2_MARKING_IDS[row.marking]],
  };
}

const quantity = (q: QuantityRow | null | undefined) =>
  q ? { low: q.low, best: q.best, high: q.high, unit: q.unit, as_stated: q.asStated, exact: q.exact } : null;

/** The STIX type and id of an actor: a STIX identifier it was known by, else its kind's STIX vocabulary decides. */
export function actorStixId(actor: Pick<ActorDetail, 'id' | 'kind' | 'externalIds'>, stixTerms: ObjectContext['stixTerms']): string {
  const known = actor.externalIds.find((e) => e.scheme === 'STIX' && ACTOR_TYPES.includes(typeOfStixId(e.value)));
  if (known) return known.value;
  const [vocabulary] = stixTerms.get(`${Vocabulary.ACTOR_KIND}/${actor.kind}`) ?? [];
  return stixId(vocabulary === 'threat-actor-type-ov' ? 'threat-actor' : 'identity', actor.id);
}

export function actorObject(actor: ActorDetail, ctx: ObjectContext): StixObject {
  const id = ctx.ids.get(actor.id)!;
  const type = typeOfStixId(id);
  const [vocabulary, term] = ctx.stixTerms.get(`${Vocabulary.ACTOR_KIND}/${actor.kind}`) ?? [];
  return {
    ...common(type, id, actor),
    name: actor.name,
    description: actor.description,
    identity_class: type === 'identity' && vocabulary === 'identity-class-ov' ? term : undefined,
    threat_actor_types: type === 'threat-actor' && vocabulary === 'threat-actor-type-ov' ? [term] : undefined,
    aliases: type === 'identity' ? undefined : actor.aliases,
    external_references: actor.externalIds.map((e) => ({ source_name: e.scheme, external_id: e.value })),
    extensions: extensionEntry('actor', {
      dossier_id: actor.id,
      ...accessOf(ctx, actor.id, actor.marking),
      kind: actor.kind,
      aliases: actor.aliases,
      country_code: actor.countryCode,
      parent_ref: ref(ctx, actor.parentId),
    }),
  };
}

export function locationObject(location: LocationDetail, ctx: ObjectContext): StixObject {
  const placed = location.countryCode !== null || location.latitude !== null;
  return {
    ...common('location', ctx.ids.get(location.id)!, location),
    name: location.name,
    description: location.description,
    country: location.countryCode,
    latitude: location.latitude,
    longitude: location.longitude,
    // STIX wants a region, a country or coordinates; a place known by none of them has an unknown region.
    region: placed ? undefined : 'unknown',
    extensions: extensionEntry('location', { dossier_id: location.id, kind: location.kind, ...accessOf(ctx, location.id, location.marking) }),
  };
}

/** A topic as a report: the statements of it in the bundle and its actors. */
export function topicObject(topic: TopicDetail, objectRefs: string[], ctx: ObjectContext): StixObject {
  return {
    ...common('report', ctx.topicIds.get(topic.id)!, topic),
    name: topic.title,
    description: topic.summary,
    report_types: ['threat-report'],
    published: stixTimestamp(topic.createdAt),
    object_refs: objectRefs,
    extensions: extensionEntry('topic', {
      dossier_id: topic.id,
      slug: topic.slug,
      starts_on: topic.startsOn,
      ends_on: topic.endsOn,
      ...accessOf(ctx, topic.id, topic.marking),
    }),
  };
}

/** A source as a report: the citations to it in the bundle. */
export function sourceObject(source: SourceRow, detail: SourceDetail, citationRefs: string[], ctx: ObjectContext): StixObject {
  const [, reportType] = ctx.stixTerms.get(`${Vocabulary.SOURCE_KIND}/${source.kind}`) ?? [];
  return {
    ...common('report', ctx.ids.get(source.id)!, detail),
    name: source.name,
    description: detail.description,
    report_types: [reportType ?? kebab(source.kind)],
    published: stixTimestamp(source.publishedOn ?? detail.createdAt),
    object_refs: citationRefs,
    external_references: source.url ? [{ source_name: source.name, url: source.url }] : undefined,
    extensions: extensionEntry('source', {
      dossier_id: source.id,
      ...accessOf(ctx, source.id, detail.marking),
      kind: source.kind,
      reliability: source.reliability,
      published_on: source.publishedOn,
      publisher_ref: ref(ctx, source.publisherId),
      url: source.url,
    }),
  };
}

/** Who may read a citation: those who may read it, its statement and its source, so the most restricted of the three. */
export const citationMarking = (citation: CitationRow, statement: StatementRow): Marking =>
  highestMarking([citation.marking, statement.marking, citation.source.marking]);

/** A citation as a note on its statement and its source. */
export function citationObject(citation: CitationRow, statement: StatementRow, createdAt: string, ctx: ObjectContext): StixObject {
  const statementRef = ctx.ids.get(statement.id)!;
  const sourceRef = ctx.ids.get(citation.source.id)!;
  const locator = [citation.page && `page ${citation.page}`, citation.paragraph && `paragraph ${citation.paragraph}`].filter(Boolean).join(', ');
  const marking = citationMarking(citation, statement);
  return {
    ...common('note', ctx.ids.get(citation.id)!, { ...citation, createdAt, marking }),
    abstract: `${citation.source.name} ${citation.verb.toLowerCase()}`,
    content: citation.quote ?? (locator || `See ${citation.source.name}.`),
    object_refs: [statementRef, sourceRef],
    confidence: CREDIBILITY_CONFIDENCE[citation.credibility],
    external_references:
      (citation.url ?? citation.source.url ?? locator)
        ? [{ source_name: citation.source.name, url: citation.url ?? citation.source.url ?? undefined, description: locator || undefined }]
        : undefined,
    extensions: extensionEntry('citation', {
      dossier_id: citation.id,
      // The note is marked as the most restricted of citation, statement and source: so are its readers.
      ...accessOf(ctx, [citation, statement, citation.source].find((x) => x.marking === marking)!.id, marking),
      statement_ref: statementRef,
      source_ref: sourceRef,
      verb: citation.verb,
      credibility: citation.credibility,
      quote: citation.quote,
      url: citation.url,
      page: citation.page,
      paragraph: citation.paragraph,
      accessed_on: citation.accessedOn,
    }),
  };
}

/** A statement kind STIX lacks, as a new SDO of the Dossier extension `key`. */
function newSdo(key: ExtensionKey, s: StatementRow, ctx: ObjectContext, own: Record<string, unknown>): StixObject {
  const type = (EXTENSIONS[key] as { sdoType: string }).sdoType;
  return {
    ...common(type, ctx.ids.get(s.id)!, s),
    dossier_id: s.id,
    topic_ref: ctx.topicIds.get(ctx.statementTopics.get(s.id) ?? ''),
    description: s.text,
    quantity: quantity(s.quantity),
    ...accessOf(ctx, s.id, s.marking),
    ...own,
    extensions: extensionEntry(key),
  };
}

/** A statement as its STIX object: a relationship for a relation, a Dossier SDO for the other kinds. */
export function statementObject(s: StatementRow, ctx: ObjectContext): StixObject {
  switch (s.kind) {
    case 'CAPABILITY':
    case 'CHALLENGE':
      return newSdo(s.kind === 'CAPABILITY' ? 'capability' : 'challenge', s, ctx, { actor_ref: ref(ctx, s.actor?.id), category: s.category });
    case 'IMPLICATION':
      return newSdo('judgment', s, ctx, {
        confidence: s.confidence ? ANALYTIC_CONFIDENCE[s.confidence as Confidence] : undefined,
        likelihood: s.likelihood,
        likelihood_confidence: LIKELIHOOD_CONFIDENCE[s.likelihood as Likelihood],
        analytic_confidence: s.confidence,
        scope: s.scope,
        horizon: s.horizon,
        as_of: s.asOf,
        affected_refs: refs(ctx, s.affectedActors).sort(),
      });
    case 'EVENT': {
      const { from, to } = occurredInterval(s.occurredOn!, s.precision!);
      return newSdo('event', s, ctx, {
        name: s.text,
        description: s.description,
        occurred_on: s.occurredOn,
        precision: s.precision,
        first_seen: stixTimestamp(from),
        last_seen: endOfDay(to),
        location_ref: ref(ctx, s.location?.id),
        affected_refs: refs(ctx, s.affectedActors).sort(),
      });
    }
    case 'RELATION':
      return relationObject(s, ctx);
  }
}

function relationObject(s: StatementRow, ctx: ObjectContext): StixObject {
  const [, stixTerm] = ctx.stixTerms.get(`${Vocabulary.RELATION_TYPE}/${s.category}`) ?? [];
  return {
    ...common('relationship', ctx.ids.get(s.id)!, s),
    relationship_type: stixTerm ?? kebab(s.category!),
    source_ref: ref(ctx, s.actor!.id),
    target_ref: ref(ctx, s.counterpart!.id),
    // The brief's text of a relation is its sentence; the stored description follows the names and dates.
    description: s.text,
    start_time: s.validFrom ? stixTimestamp(s.validFrom) : undefined,
    stop_time: s.validTo ? endOfDay(s.validTo) : undefined,
    extensions: extensionEntry('relation', {
      dossier_id: s.id,
      ...accessOf(ctx, s.id, s.marking),
      topic_ref: ctx.topicIds.get(ctx.statementTopics.get(s.id) ?? ''),
      relation_type: s.category,
      valid_from: s.validFrom,
      valid_to: s.validTo,
    }),
  };
}
