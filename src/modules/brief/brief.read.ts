import type { DataSource } from 'typeorm';
import type { Marking } from '../../common/marking';
import { reusable } from '../../db/prepared';
import { live } from '../../read/filters';
import { and, compile, sql, textOf, type Sql } from '../../read/fragment';
import type { SqlBuilder } from '../../read/sql';
import type { CitedColumn, StatementKind } from '../../registry/statement-kinds';
import { STATEMENT_KINDS, statementKinds } from '../../registry/statement-kinds';
import { occurredInSql } from '../event/event.dates';
import { dateAt } from './brief.phrases';
import type { SelectionScope } from './brief.scope';
import { Vocabulary } from '../vocabulary/vocabularies';

export type { StatementKind } from '../../registry/statement-kinds';

export interface SourceRow {
  id: string;
  name: string;
  kind: string;
  /**
   * Who published it, when the reader may see the publisher. A hidden publisher reads as unknown, like a missing one: the
   * brief infers nothing from what its reader may not see (not even that two sources share a publisher).
   */
  publisherId: string | null;
  /** The publisher's name, only when the reader may see the publisher. */
  publisher: string | null;
  publisherMarking: Marking | null;
  publisherKind: string | null;
  publisherDescription: string | null;
  publishedOn: string | null;
  reliability: string;
  url: string | null;
  /** What is known of it: how it was graded, what it relays, where it disagrees with the record. */
  description: string | null;
  marking: Marking;
}

/** An actor a statement names, as visible to the reader. */
export interface NamedActorRow {
  id: string;
  name: string;
  kind: string;
  description: string | null;
  marking: Marking;
}

export interface CitationRow {
  id: string;
  verb: string;
  credibility: number;
  /** Null for a source without quotable text: then the locator says where to look. */
  quote: string | null;
  url: string | null;
  page: string | null;
  paragraph: string | null;
  accessedOn: string | null;
  marking: Marking;
  updatedAt: string;
  source: SourceRow;
  /**
   * The original whose reporting these words pass on (the citation's own `relayedFrom`, else its source's `relays`),
   * only when the reader may see it and it stands: a link to an original the reader may not see reads as if it were
   * not recorded, so that nothing in the brief (a name, a count, a grouping) tells of the hidden original.
   */
  original: (SourceRow & { listed: boolean }) | null;
}

export interface QuantityRow {
  low: number | null;
  best: number | null;
  high: number | null;
  unit: string | null;
  asStated: string | null;
  exact: boolean;
}

/** One statement in scope with its qualifying citations, as the single brief query returns it. */
export interface StatementRow {
  kind: StatementKind;
  id: string;
  marking: Marking;
  text: string;
  createdAt: string;
  updatedAt: string;
  /** The actor it is about (a relation's subject). */
  actor?: NamedActorRow;
  /** A relation's object. */
  counterpart?: NamedActorRow;
  validFrom?: string | null;
  validTo?: string | null;
  category?: string;
  /** The category's (a relation's type's) label in its vocabulary, as the brief writes it. */
  categoryLabel?: string;
  quantity?: QuantityRow | null;
  likelihood?: string;
  /** A judgment's confidence, scope and horizon: null when not assessed. */
  confidence?: string | null;
  scope?: string | null;
  horizon?: string | null;
  asOf?: string | null;
  /** An implication's affected actors; an event's actors. */
  affectedActors?: NamedActorRow[];
  /** An event's description. */
  description?: string | null;
  occurredOn?: string;
  precision?: 'DAY' | 'MONTH' | 'YEAR';
  location?: { id: string; name: string; description: string | null; marking: Marking } | null;
  citations: CitationRow[];
}

export interface BriefData {
  topics: Array<{ id: string; slug: string; title: string; summary: string; marking: Marking }>;
  actors: Array<{ id: string; name: string; marking: Marking }>;
  statements: StatementRow[];
}

const quantity = (x: Sql) =>
  sql`CASE WHEN num_nonnulls(${x}.quantity_low, ${x}.quantity_best, ${x}.quantity_high) > 0 THEN json_build_object(
    'low', ${x}.quantity_low, 'best', ${x}.quantity_best, 'high', ${x}.quantity_high,
    'unit', ${x}.quantity_unit, 'asStated', ${x}.quantity_as_stated, 'exact', ${x}.quantity_exact) END`;

/** An actor as a statement names it: what the brief writes of it. */
const namedActor = (a: Sql) =>
  sql`json_build_object('id', ${a}.id, 'name', ${a}.name, 'kind', ${a}.kind, 'description', ${a}.description, 'marking', ${a}.marking)`;

/** Visible actors linked to row `x` through a link table, in name order. */
const linkedActorNames = (q: SqlBuilder, table: string, owner: string, x: Sql) => {
  const [l, a] = [q.alias(), q.alias()];
  return sql`coalesce((SELECT json_agg(${namedActor(a)} ORDER BY ${a}.name)
    FROM ${sql.identifier(table)} ${l} JOIN actor ${a} ON ${a}.id = ${l}.actor_id
    WHERE ${l}.${sql.identifier(owner)} = ${x}.id AND ${q.visible(a, 'actor')}), '[]'::json)`;
};

/** Aliases of the rows a statement joins, derived from its own (`t3a` for the actor of `t3`). */
const joined = (x: Sql, suffix: 'a' | 'b' | 'l') => sql.identifier(`${textOf(x)}${suffix}`);

/** How the brief reads one statement kind. */
interface KindSpec {
  /** The column holding its text. */
  text: string;
  /** Extra JSON fields of the kind. */
  fields: (x: Sql, q: SqlBuilder) => Sql;
  /** Extra FROM items (joins) the fields need. */
  joins?: (x: Sql, q: SqlBuilder) => Sql;
  /** Condition for "this statement is about one of the scope's actors". */
  aboutActors: (x: Sql, actors: Sql) => Sql;
  /** Condition for "this statement falls inside the time window", when it has a date of its own. */
  inWindow?: (x: Sql, from: Sql, to: Sql) => Sql;
}

const actorJoin = (x: Sql, q: SqlBuilder) => {
  const a = joined(x, 'a');
  return sql`JOIN actor ${a} ON ${a}.id = ${x}.actor_id AND ${q.visible(a, 'actor')}`;
};
/** The label of a term, read with the brief so that it takes no statement of its own: labels are ADMIN's to change. */
const termLabel = (vocabulary: string, term: Sql) =>
  sql`(SELECT vt.label FROM vocabulary_term vt WHERE vt.vocabulary = ${sql.value(vocabulary, 'text')} AND vt.term = ${term})`;

const actorStatementFields = (vocabulary: string) => (x: Sql) => {
  const a = joined(x, 'a');
  return sql`'actor', ${namedActor(a)},
   'category', ${x}.category, 'categoryLabel', ${termLabel(vocabulary, sql`${x}.category`)}, 'quantity', ${quantity(x)}`;
};

/** Every statement kind has its reading here: the brief carries them all. */
const KINDS: Record<StatementKind, KindSpec> = {
  CAPABILITY: {
    text: 'statement',
    joins: actorJoin,
    fields: actorStatementFields(Vocabulary.CAPABILITY_CATEGORY),
    aboutActors: (x, actors) => sql`${x}.actor_id = ANY(${actors})`,
  },
  CHALLENGE: {
    text: 'statement',
    joins: actorJoin,
    fields: actorStatementFields(Vocabulary.CHALLENGE_CATEGORY),
    aboutActors: (x, actors) => sql`${x}.actor_id = ANY(${actors})`,
  },
  IMPLICATION: {
    text: 'statement',
    fields: (x, q) =>
      sql`'likelihood', ${x}.likelihood, 'confidence', ${x}.confidence, 'scope', ${x}.scope, 'horizon', ${x}.horizon,
       'asOf', ${x}.as_of, 'quantity', ${quantity(x)}, 'affectedActors', ${linkedActorNames(q, 'implication_actor', 'implication_id', x)}`,
    aboutActors: (x, actors) => sql`EXISTS (SELECT 1 FROM implication_actor ia WHERE ia.implication_id = ${x}.id AND ia.actor_id = ANY(${actors}))`,
  },
  RELATION: {
    // The sentence is written when composing (it needs both names and the dates); this is the description.
    text: 'description',
    joins: (x, q) => {
      const [a, b] = [joined(x, 'a'), joined(x, 'b')];
      return sql`JOIN actor ${a} ON ${a}.id = ${x}.from_actor_id AND ${q.visible(a, 'actor')}
       JOIN actor ${b} ON ${b}.id = ${x}.to_actor_id AND ${q.visible(b, 'actor')}`;
    },
    fields: (x) => {
      const [a, b] = [joined(x, 'a'), joined(x, 'b')];
      return sql`'actor', ${namedActor(a)}, 'counterpart', ${namedActor(b)},
       'category', ${x}.type, 'categoryLabel', ${termLabel(Vocabulary.RELATION_TYPE, sql`${x}.type`)}, 'validFrom', ${x}.valid_from, 'validTo', ${x}.valid_to`;
    },
    aboutActors: (x, actors) => sql`(${x}.from_actor_id = ANY(${actors}) OR ${x}.to_actor_id = ANY(${actors}))`,
    inWindow: (x, from, to) => sql`coalesce(${x}.valid_from, '-infinity') <= ${to} AND coalesce(${x}.valid_to, 'infinity') >= ${from}`,
  },
  EVENT: {
    text: 'title',
    joins: (x, q) => {
      const l = joined(x, 'l');
      return sql`LEFT JOIN location ${l} ON ${l}.id = ${x}.location_id AND ${q.visible(l, 'location')}`;
    },
    fields: (x, q) => {
      const l = joined(x, 'l');
      return sql`'occurredOn', ${x}.occurred_on, 'precision', ${x}.precision, 'quantity', ${quantity(x)},
       'location', CASE WHEN ${l}.id IS NOT NULL THEN json_build_object('id', ${l}.id, 'name', ${l}.name, 'description', ${l}.description, 'marking', ${l}.marking) END,
       'description', ${x}.description,
       'affectedActors', ${linkedActorNames(q, 'event_actor', 'event_id', x)}`;
    },
    aboutActors: (x, actors) => sql`EXISTS (SELECT 1 FROM event_actor ea WHERE ea.event_id = ${x}.id AND ea.actor_id = ANY(${actors}))`,
    // The same rule as the events list: the event's interval overlaps the window.
    inWindow: (x, from, to) => and(occurredInSql(x, from, to)),
  },
};

/**
 * Qualifying citations of row `x`: visible and standing, to a visible source that stands, and meeting the scope's grades
 * and window, as one aggregate row `list`.
 */
function citations(cited: CitedColumn, x: Sql, scope: SelectionScope, q: SqlBuilder): Sql {
  // Undated sources stay: nothing says they fall outside the window.
  const inWindow = (s: Sql) => [
    ...(scope.from ? [sql`(${s}.published_on IS NULL OR ${s}.published_on >= ${sql.value(scope.from, 'date')})`] : []),
    ...(scope.to ? [sql`(${s}.published_on IS NULL OR ${s}.published_on <= ${sql.value(scope.to, 'date')})`] : []),
  ];
  // An original outside the scope's window or grades is still the voice its relays speak with, but is not listed.
  const listed = (o: Sql) => and([sql`${o}.reliability <= ${sql.value(scope.minReliability, 'source_reliability')}`, ...inWindow(o)]);
  const [c, s, p, oc, os, ocp, osp] = [q.alias(), q.alias(), q.alias(), q.alias(), q.alias(), q.alias(), q.alias()];
  const conditions = [
    sql`${c}.${sql.identifier(cited)} = ${x}.id`,
    q.visibleCitation(c, { statement: x, cited, source: s }),
    live(c),
    live(s),
    // A denial is kept whatever its grades: it is always shown beside what it denies.
    sql`(${c}.verb = 'DENIES' OR (${c}.credibility <= ${sql.value(scope.minCredibility)}
      AND ${s}.reliability <= ${sql.value(scope.minReliability, 'source_reliability')}))`,
    ...inWindow(s),
  ];
  const source = (s: Sql, p: Sql) => sql`json_build_object('id', ${s}.id, 'name', ${s}.name, 'kind', ${s}.kind, 'publisherId', ${p}.id,
    'publisher', ${p}.name, 'publisherMarking', ${p}.marking, 'publisherKind', ${p}.kind, 'publisherDescription', ${p}.description,
    'publishedOn', ${s}.published_on, 'reliability', ${s}.reliability, 'url', ${s}.url, 'description', ${s}.description, 'marking', ${s}.marking)`;
  // The citation's own original when the reader may see it, else its source's: as if a hidden one were not recorded.
  const originalOf = (o: Sql, op: Sql) => sql`(${source(o, op)}::jsonb || jsonb_build_object('listed', ${listed(o)}))`;
  const original = sql`CASE WHEN ${oc}.id IS NOT NULL THEN ${originalOf(oc, ocp)} WHEN ${os}.id IS NOT NULL THEN ${originalOf(os, osp)} END`;
  const publisherOf = (p: Sql, s: Sql) => sql`LEFT JOIN actor ${p} ON ${p}.id = ${s}.publisher_id AND ${q.visible(p, 'actor')}`;
  const originalAt = (o: Sql, column: Sql) => sql`LEFT JOIN source ${o} ON ${o}.id = ${column} AND ${q.visible(o, 'source')} AND ${live(o)}`;
  return sql`SELECT json_agg(json_build_object('id', ${c}.id, 'verb', ${c}.verb, 'credibility', ${c}.credibility,
      'quote', ${c}.quote, 'url', ${c}.url, 'page', ${c}.page, 'paragraph', ${c}.paragraph, 'accessedOn', ${c}.accessed_on, 'marking', ${c}.marking, 'updatedAt', ${c}.updated_at,
      'source', ${source(s, p)}, 'original', ${original}) ORDER BY ${c}.credibility, ${s}.reliability, ${c}.id) AS list
    FROM citation ${c} JOIN source ${s} ON ${s}.id = ${c}.source_id
    ${publisherOf(p, s)}
    ${originalAt(oc, sql`${c}.relayed_from_id`)} ${publisherOf(ocp, oc)}
    ${originalAt(os, sql`${s}.relays_id`)} ${publisherOf(osp, os)}
    WHERE ${and(conditions)}`;
}

function statements(kind: StatementKind, scope: SelectionScope, q: SqlBuilder, complete: Sql): Sql {
  const spec = KINDS[kind];
  const { table, cited: citedColumn } = STATEMENT_KINDS[kind];
  const x = q.alias();
  const cited = q.alias();
  // A retracted statement leaves briefs; it stays readable by id.
  const conditions = [complete, q.visible(x, table), live(x), sql`${cited}.list IS NOT NULL`];
  // One topic (slugs are unique) is an equality, estimated as one topic's rows whatever the slug, so the cached generic
  // plan reads that topic's statements before their citations. `IN` is a semi-join the planner may put after the
  // citations of every statement when it cannot tell how many topics the slugs name.
  if (scope.topics.length === 1) conditions.push(sql`${x}.topic_id = (SELECT id FROM scope_topic)`);
  else if (scope.topics.length) conditions.push(sql`${x}.topic_id IN (SELECT id FROM scope_topic)`);
  else conditions.push(sql`EXISTS (SELECT 1 FROM topic st WHERE st.id = ${x}.topic_id AND ${q.visible(sql.identifier('st'), 'topic')})`);
  if (scope.actors.length) conditions.push(spec.aboutActors(x, sql`ARRAY(SELECT id FROM scope_actor)`));
  if (spec.inWindow && (scope.from || scope.to)) {
    conditions.push(spec.inWindow(x, sql.value(scope.from ?? '0001-01-01', 'date'), sql.value(scope.to ?? '9999-12-31', 'date')));
  }
  // The aggregate is the lateral itself: a scalar subquery there would be pulled up into both the filter and the
  // output, and aggregated twice per statement.
  return sql`SELECT json_build_object('kind', ${sql.key(kind)}, 'id', ${x}.id, 'marking', ${x}.marking, 'text', ${x}.${sql.identifier(spec.text)},
      'createdAt', ${x}.created_at, 'updatedAt', ${x}.updated_at, ${spec.fields(x, q)}, 'citations', ${cited}.list) AS statement
    FROM ${sql.identifier(table)} ${x} ${spec.joins?.(x, q) ?? sql``}
    CROSS JOIN LATERAL (${citations(citedColumn, x, scope, q)}) ${cited}
    WHERE ${and(conditions)}`;
}

/** The parts of a scope's reading: the scope's topics and actors (CTEs, then as JSON), and its statements' rows. */
function scopeParts(q: SqlBuilder, scope: SelectionScope) {
  const topicSlugs = sql.value(scope.topics, 'text[]');
  const actorIds = sql.value(scope.actors, 'uuid[]');
  const [t, a] = [sql.identifier('t'), sql.identifier('a')];
  const complete = sql`(SELECT count(*) FROM scope_topic) = cardinality(${topicSlugs}) AND (SELECT count(*) FROM scope_actor) = cardinality(${actorIds})`;
  const union = sql.join(
    statementKinds.map((kind) => statements(kind, scope, q, complete)),
    '\nUNION ALL\n',
  );
  return {
    ctes: sql`WITH scope_topic AS (
      SELECT t.id, t.slug, t.title, t.summary, t.marking FROM topic t WHERE t.slug = ANY(${topicSlugs}) AND ${q.visible(t, 'topic')}),
    scope_actor AS (SELECT a.id, a.name, a.marking FROM actor a WHERE a.id = ANY(${actorIds}) AND ${q.visible(a, 'actor')})`,
    topics: sql`(SELECT coalesce(json_agg(row_to_json(scope_topic) ORDER BY slug), '[]'::json) FROM scope_topic)`,
    actors: sql`(SELECT coalesce(json_agg(json_build_object('id', id, 'name', name, 'marking', marking) ORDER BY name), '[]'::json) FROM scope_actor)`,
    union,
  };
}

/**
 * The one SQL statement that reads everything a brief needs for `scope`. Every table passes the access seam. Unless
 * every topic and actor of the scope is visible, no statement is read at all (the brief is refused), so a hidden
 * topic or actor costs exactly what a missing one does, and its timing tells nothing.
 */
export function briefQuery(q: SqlBuilder, scope: SelectionScope): Sql {
  const { ctes, topics, actors, union } = scopeParts(q, scope);
  return sql`${ctes}
    SELECT json_build_object(
      'topics', ${topics},
      'actors', ${actors},
      'statements', (SELECT coalesce(json_agg(u.statement), '[]'::json) FROM (${union}) u)
    ) AS result`;
}

/**
 * The same reading as one row per statement, after a row of the scope's topics and actors: no single JSON text of
 * every statement is made, which for a large scope (a STIX export of thousands) is tens of megabytes read at once.
 */
export function scopeRowsQuery(q: SqlBuilder, scope: SelectionScope): Sql {
  const { ctes, topics, actors, union } = scopeParts(q, scope);
  return sql`${ctes}
    SELECT json_build_object('topics', ${topics}, 'actors', ${actors}) AS scope, NULL::json AS statement
    UNION ALL
    SELECT NULL, u.statement FROM (${union}) u`;
}

/** The statements in `scope` as stored, read in one SQL statement: a relation's text is its description. */
export async function readScopeData(dataSource: DataSource, q: SqlBuilder, scope: SelectionScope): Promise<BriefData> {
  const statement = compile(briefQuery(q, scope));
  const rows: Array<{ result: BriefData }> = await dataSource.query(reusable(statement.text), statement.values);
  return rows[0].result;
}

/** What `readScopeData` reads, row by row (`scopeRowsQuery`): the same data, in statements of no particular order. */
export async function readScopeDataByRow(dataSource: DataSource, q: SqlBuilder, scope: SelectionScope): Promise<BriefData> {
  const statement = compile(scopeRowsQuery(q, scope));
  const rows: Array<{ scope: Omit<BriefData, 'statements'> | null; statement: StatementRow | null }> = await dataSource.query(statement.text, statement.values);
  const { topics, actors } = rows.find((row) => row.scope)!.scope!;
  const statements: StatementRow[] = [];
  for (const row of rows) if (row.statement) statements.push(row.statement);
  return { topics, actors, statements };
}

/** Everything a brief needs, read for `scope` in one SQL statement: a relation's text is its sentence. */
export async function readBriefData(dataSource: DataSource, q: SqlBuilder, scope: SelectionScope): Promise<BriefData> {
  const data = await readScopeData(dataSource, q, scope);
  for (const s of data.statements) if (s.kind === 'RELATION') s.text = relationSentence(s);
  return data;
}

/** "Russia: treaty partner of North Korea since 24 October 2024. Comprehensive ..." */
function relationSentence(s: StatementRow): string {
  const relation = relationClaim(s);
  return s.text ? `${relation} ${s.text}` : relation;
}

/** What a relation's sources vouch for, without its description: "Russia: treaty partner of North Korea since 24 October 2024." */
export function relationClaim(s: StatementRow): string {
  const since = s.validFrom ? ` since ${dateAt(s.validFrom)}` : '';
  const until = s.validTo ? ` until ${dateAt(s.validTo)}` : '';
  return `${s.actor!.name}: ${s.categoryLabel ?? s.category} ${s.counterpart!.name}${since}${until}.`;
}
