import { GraphQLError } from 'graphql';
import { badUserInput } from '../../common/errors';
import type { ItemAccess } from '../assertion/item-access';
import { aliasesOf } from '../actor/actor.write';
import { checkedExternalIds } from '../actor/external-id';
import { ReportingVerb } from '../citation/reporting-verb';
import type { Marking } from '../../common/marking';
import { STATEMENT_KINDS, statementKinds, statementTables, type StatementKind, type StatementTable } from '../../registry/statement-kinds';
import type { Problem } from '../fixture/fixture.parse';
import type { Fixture } from '../fixture/fixture.schema';

// What a document asks to be stored: one row per item, in the tables' own column names, with who may read it and
// the actors it links to. Writing it is table-import.ts's; deciding which of it may be written, import.service.ts's.

export type ImportTable = 'topic' | 'actor' | 'location' | 'source' | StatementTable | 'citation';
/** In the order they are written: what is referred to before what refers to it. */
export const IMPORT_TABLES: readonly ImportTable[] = ['topic', 'actor', 'location', 'source', ...statementTables, 'citation'];

/** Tables of links from an item to actors, by the table of the item. */
export const LINKS = {
  topic: { table: 'topic_actor', owner: 'topic_id' },
  implication: { table: 'implication_actor', owner: 'implication_id' },
  event: { table: 'event_actor', owner: 'event_id' },
} as const;
export type LinkedTable = keyof typeof LINKS;

export interface PlannedItem {
  table: ImportTable;
  id: string;
  /** Where it is in the document, for the report. */
  path: string;
  access: ItemAccess;
  /** Its columns as the document has them, id and access included. */
  row: Record<string, unknown>;
  /** The actors it links to (topics, judgments and events). */
  links?: string[];
  /** The sources its content comes from: a citation's source, a statement's evidence. */
  sources?: Array<{ id: string; denies: boolean }>;
}

/** The uuids the document's keys stand for: its own items, or stored ones it refers to. */
export interface KeyIds {
  topic: string;
  actor: (key: string) => string;
  location: (key: string) => string;
  source: (key: string) => string;
  /** The uuid of a statement, or of a citation of one, by its place in the document. */
  item: (...path: string[]) => string;
}

interface Access {
  marking: Marking;
  organisation?: string;
  audience: string[];
}

/** Who may read an item the document describes; BAD_USER_INPUT (naming `path`) when the importer may not write it so. */
export type AccessFor = (record: Access, path: string) => ItemAccess;

type Quantity = NonNullable<Fixture['capabilities'][number]['quantity']>;
const quantity = (q?: Quantity) => ({
  quantity_low: q?.low ?? null,
  quantity_best: q?.best ?? null,
  quantity_high: q?.high ?? null,
  quantity_unit: q?.unit ?? null,
  quantity_as_stated: q?.asStated ?? null,
  quantity_exact: q?.exact ?? false,
});

type Section<K extends StatementKind> = Fixture[(typeof STATEMENT_KINDS)[K]['fixture']][number];

/** The columns of each kind of statement, besides its topic and access. */
const STATEMENT_COLUMNS: { [K in StatementKind]: (s: Section<K>, ids: KeyIds) => Record<string, unknown> } = {
  CAPABILITY: (c, ids) => ({ actor_id: ids.actor(c.actor), category: c.category, statement: c.statement, ...quantity(c.quantity) }),
  CHALLENGE: (c, ids) => ({ actor_id: ids.actor(c.actor), category: c.category, statement: c.statement, ...quantity(c.quantity) }),
  IMPLICATION: (m) => ({
    statement: m.statement,
    likelihood: m.likelihood,
    confidence: m.confidence ?? null,
    scope: m.scope ?? null,
    horizon: m.horizon ?? null,
    as_of: m.asOf ?? null,
    ...quantity(m.quantity),
  }),
  EVENT: (e, ids) => ({
    title: e.title,
    description: e.description ?? null,
    occurred_on: e.occurredOn,
    precision: e.precision,
    location_id: e.location ? ids.location(e.location) : null,
    ...quantity(e.quantity),
  }),
  RELATION: (r, ids) => {
    // Two keys may name one stored actor (the same one, found by its identity).
    if (ids.actor(r.from) === ids.actor(r.to)) throw badUserInput('to', `"${r.from}" and "${r.to}" are one actor, which has no relation to itself`);
    return {
      from_actor_id: ids.actor(r.from),
      to_actor_id: ids.actor(r.to),
      type: r.type,
      valid_from: r.validFrom ?? null,
      valid_to: r.validTo ?? null,
      description: r.description ?? null,
    };
  },
};

const STATEMENT_LINKS: Partial<{ [K in StatementKind]: (s: Section<K>) => string[] }> = {
  IMPLICATION: (m) => m.affectedActors,
  EVENT: (e) => e.actors,
};

// An item the document describes stands: one it withdrew before and lists again is restored.
const standing = { retracted_at: null, retraction_reason: null };

const pathOf = (section: string, i: number, key: string) => `${section}[${i}] (${key})`;

/**
 * The items of a document with the uuids `ids` gives its keys. Actors whose keys map to an actor stored before (the
 * same one, found by its identity) are not planned: they are used as they are.
 */
export function planDocument(data: Fixture, ids: KeyIds, accessFor: AccessFor, reused: ReadonlySet<string>): { items: PlannedItem[]; problems: Problem[] } {
  const items: PlannedItem[] = [];
  const problems: Problem[] = [];
  const add = (table: ImportTable, id: string, path: string, record: Access, columns: () => Record<string, unknown>, extra: Partial<PlannedItem> = {}) => {
    try {
      const access = accessFor(record, path);
      const { marking, organisation, audience } = access;
      items.push({ table, id, path, access, row: { id, ...columns(), marking, organisation, audience, ...standing }, ...extra });
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      const argument = error.extensions.argumentName;
      // An argument named by a check of the whole record ("to") is a field of the record.
      const at = typeof argument === 'string' ? (argument.includes('.') || argument.includes('[') ? argument : `${path}.${argument}`) : path;
      problems.push({ path: at, message: error.message.replace(/^Invalid argument "[^"]*": /, '') });
    }
  };

  const { topic } = data;
  // An actor the document names only as a source's publisher (a news agency, a statistics office) takes no part in the topic.
  const publishers = new Set(data.sources.map((s) => s.publisher));
  const topicActors = new Set([
    ...data.actors.filter((a) => !publishers.has(a.key)).map((a) => a.key),
    ...data.capabilities.map((c) => c.actor),
    ...data.challenges.map((c) => c.actor),
    ...data.implications.flatMap((m) => m.affectedActors),
    ...data.events.flatMap((e) => e.actors),
    ...data.relations.flatMap((r) => [r.from, r.to]),
  ]);
  // A topic stored before under the document's key (one the importer may see) takes the statements as it is.
  if (!reused.has(ids.topic)) {
    add(
      'topic',
      ids.topic,
      'topic',
      topic,
      () => ({ slug: topic.key, title: topic.title, summary: topic.summary, starts_on: topic.startsOn ?? null, ends_on: topic.endsOn ?? null }),
      { links: [...topicActors].map(ids.actor) },
    );
  }
  data.actors.forEach((a, i) => {
    const path = pathOf('actors', i, a.key);
    if (reused.has(ids.actor(a.key))) return;
    add('actor', ids.actor(a.key), path, a, () => ({
      name: a.name,
      kind: a.kind,
      aliases: aliasesOf(a.aliases, `${path}.aliases`),
      country_code: a.countryCode ?? null,
      description: a.description ?? null,
      parent_id: a.parent ? ids.actor(a.parent) : null,
      external_ids: checkedExternalIds(a.externalIds, `${path}.externalIds`),
    }));
  });
  data.locations.forEach((l, i) =>
    add('location', ids.location(l.key), pathOf('locations', i, l.key), l, () => ({
      name: l.name,
      kind: l.kind,
      country_code: l.countryCode ?? null,
      latitude: l.latitude ?? null,
      longitude: l.longitude ?? null,
      description: l.description ?? null,
    })),
  );
  data.sources.forEach((s, i) =>
    add('source', ids.source(s.key), pathOf('sources', i, s.key), s, () => ({
      name: s.name,
      kind: s.kind,
      publisher_id: s.publisher ? ids.actor(s.publisher) : null,
      relays_id: s.relays ? ids.source(s.relays) : null,
      url: s.url ?? null,
      published_on: s.publishedOn ?? null,
      reliability: s.reliability,
      description: s.description ?? null,
    })),
  );

  // A citation has one column per statement kind: its own kind's is set, the others are null.
  const noStatement = Object.fromEntries(statementKinds.map((k) => [STATEMENT_KINDS[k].cited, null]));
  for (const kind of statementKinds) {
    const { table, cited, fixture: section } = STATEMENT_KINDS[kind];
    const records = data[section] as Array<Section<typeof kind>>;
    records.forEach((record, i) => {
      const path = pathOf(section, i, record.key);
      const id = ids.item('topic', topic.key, section, record.key);
      const citations = record.citations.map((c) => ({ id: ids.source(c.source), denies: c.verb === ReportingVerb.DENIES }));
      const links = STATEMENT_LINKS[kind] as ((s: Section<typeof kind>) => string[]) | undefined;
      add(
        table,
        id,
        path,
        record,
        () => ({ topic_id: ids.topic, ...(STATEMENT_COLUMNS[kind] as (s: Section<typeof kind>, ids: KeyIds) => object)(record, ids) }),
        {
          sources: citations,
          ...(links ? { links: links(record).map(ids.actor) } : {}),
        },
      );
      record.citations.forEach((c, j) =>
        add(
          'citation',
          ids.item('topic', topic.key, section, record.key, 'citations', String(j)),
          `${path}.citations[${j}]`,
          c,
          () => ({
            source_id: ids.source(c.source),
            relayed_from_id: c.relayedFrom ? ids.source(c.relayedFrom) : null,
            verb: c.verb,
            quote: c.quote ?? null,
            url: c.url ?? null,
            page: c.page ?? null,
            paragraph: c.paragraph ?? null,
            accessed_on: c.accessedOn ?? null,
            credibility: c.credibility,
            ...noStatement,
            [cited]: id,
          }),
          { sources: [{ id: ids.source(c.source), denies: false }] },
        ),
      );
    });
  }
  return { items, problems };
}
