import type { DataSource } from 'typeorm';
import type { Marking } from '../../common/marking';
import { and, SqlBuilder } from '../../read/sql';
import type { CitationJoin, StatementTable } from '../../read/access';
import { dateAt } from './brief.phrases';
import type { BriefScope } from './brief.scope';

export type StatementKind = 'CAPABILITY' | 'CHALLENGE' | 'IMPLICATION' | 'EVENT' | 'RELATION';

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
  publishedOn: string | null;
  reliability: string;
  url: string | null;
  marking: Marking;
}

export interface CitationRow {
  id: string;
  verb: string;
  credibility: number;
  quote: string;
  marking: Marking;
  updatedAt: string;
  source: SourceRow;
}

export interface QuantityRow {
  low: number | null;
  best: number | null;
  high: number | null;
  unit: string | null;
  asStated: string | null;
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
  actor?: { id: string; name: string; kind: string; marking: Marking };
  /** A relation's object. */
  counterpart?: { id: string; name: string; marking: Marking };
  validFrom?: string | null;
  validTo?: string | null;
  category?: string;
  quantity?: QuantityRow | null;
  likelihood?: string;
  confidence?: string;
  scope?: string;
  horizon?: string;
  affectedActors?: Array<{ id: string; name: string; marking: Marking }>;
  occurredOn?: string;
  precision?: 'DAY' | 'MONTH' | 'YEAR';
  location?: { id: string; name: string; marking: Marking } | null;
  citations: CitationRow[];
}

export interface BriefData {
  topics: Array<{ id: string; slug: string; title: string; summary: string; marking: Marking }>;
  actors: Array<{ id: string; name: string; marking: Marking }>;
  statements: StatementRow[];
}

const quantity = (x: string) =>
  `CASE WHEN num_nonnulls(${x}.quantity_low, ${x}.quantity_best, ${x}.quantity_high) > 0 THEN json_build_object(
    'low', ${x}.quantity_low, 'best', ${x}.quantity_best, 'high', ${x}.quantity_high,
    'unit', ${x}.quantity_unit, 'asStated', ${x}.quantity_as_stated) END`;

/** Visible names of the actors linked to row `x` through a link table, in name order. */
const linkedActorNames = (sql: SqlBuilder, table: string, owner: string, x: string) => {
  const [l, a] = [sql.alias(), sql.alias()];
  return `coalesce((SELECT json_agg(json_build_object('id', ${a}.id, 'name', ${a}.name, 'marking', ${a}.marking) ORDER BY ${a}.name) FROM ${table} ${l} JOIN actor ${a} ON ${a}.id = ${l}.actor_id
    WHERE ${l}.${owner} = ${x}.id AND ${sql.visible(a, 'actor')}), '[]'::json)`;
};

interface KindSpec {
  table: StatementTable;
  cited: CitationJoin['cited'];
  text: string;
  /** Extra JSON fields of the kind. */
  fields: (x: string, sql: SqlBuilder) => string;
  /** Extra FROM items (joins) the fields need. */
  joins?: (x: string, sql: SqlBuilder) => string;
  /** Condition for "this statement is about one of the scope's actors". */
  aboutActors: (x: string, actors: string) => string;
  /** Condition for "this statement falls inside the time window", when it has a date of its own. */
  inWindow?: (x: string, from: string, to: string) => string;
}

const actorJoin = (x: string, sql: SqlBuilder) => {
  const a = `${x}a`;
  return `JOIN actor ${a} ON ${a}.id = ${x}.actor_id AND ${sql.visible(a, 'actor')}`;
};
const actorStatementFields = (x: string) =>
  `'actor', json_build_object('id', ${x}a.id, 'name', ${x}a.name, 'kind', ${x}a.kind, 'marking', ${x}a.marking),
   'category', ${x}.category, 'quantity', ${quantity(x)}`;

const KINDS: Record<StatementKind, KindSpec> = {
  CAPABILITY: {
    table: 'capability',
    cited: 'capability_id',
    text: 'statement',
    joins: actorJoin,
    fields: actorStatementFields,
    aboutActors: (x, actors) => `${x}.actor_id = ANY(${actors})`,
  },
  CHALLENGE: {
    table: 'challenge',
    cited: 'challenge_id',
    text: 'statement',
    joins: actorJoin,
    fields: actorStatementFields,
    aboutActors: (x, actors) => `${x}.actor_id = ANY(${actors})`,
  },
  IMPLICATION: {
    table: 'implication',
    cited: 'implication_id',
    text: 'statement',
    fields: (x, sql) =>
      `'likelihood', ${x}.likelihood, 'confidence', ${x}.confidence, 'scope', ${x}.scope, 'horizon', ${x}.horizon,
       'affectedActors', ${linkedActorNames(sql, 'implication_actor', 'implication_id', x)}`,
    aboutActors: (x, actors) => `EXISTS (SELECT 1 FROM implication_actor ia WHERE ia.implication_id = ${x}.id AND ia.actor_id = ANY(${actors}))`,
  },
  RELATION: {
    table: 'actor_relation',
    cited: 'relation_id',
    // The sentence is written when composing (it needs both names and the dates); this is the description.
    text: 'description',
    joins: (x, sql) =>
      `JOIN actor ${x}a ON ${x}a.id = ${x}.from_actor_id AND ${sql.visible(`${x}a`, 'actor')}
       JOIN actor ${x}b ON ${x}b.id = ${x}.to_actor_id AND ${sql.visible(`${x}b`, 'actor')}`,
    fields: (x) =>
      `'actor', json_build_object('id', ${x}a.id, 'name', ${x}a.name, 'kind', ${x}a.kind, 'marking', ${x}a.marking),
       'counterpart', json_build_object('id', ${x}b.id, 'name', ${x}b.name, 'marking', ${x}b.marking),
       'category', ${x}.type, 'validFrom', ${x}.valid_from, 'validTo', ${x}.valid_to`,
    aboutActors: (x, actors) => `(${x}.from_actor_id = ANY(${actors}) OR ${x}.to_actor_id = ANY(${actors}))`,
    inWindow: (x, from, to) => `coalesce(${x}.valid_from, '-infinity') <= ${to} AND coalesce(${x}.valid_to, 'infinity') >= ${from}`,
  },
  EVENT: {
    table: 'event',
    cited: 'event_id',
    text: 'title',
    joins: (x, sql) => `LEFT JOIN location ${x}l ON ${x}l.id = ${x}.location_id AND ${sql.visible(`${x}l`, 'location')}`,
    fields: (x, sql) =>
      `'occurredOn', ${x}.occurred_on, 'precision', ${x}.precision, 'quantity', ${quantity(x)},
       'location', CASE WHEN ${x}l.id IS NOT NULL THEN json_build_object('id', ${x}l.id, 'name', ${x}l.name, 'marking', ${x}l.marking) END,
       'affectedActors', ${linkedActorNames(sql, 'event_actor', 'event_id', x)}`,
    aboutActors: (x, actors) => `EXISTS (SELECT 1 FROM event_actor ea WHERE ea.event_id = ${x}.id AND ea.actor_id = ANY(${actors}))`,
    // The event spans its whole day, month or year: it is in the window when that span overlaps it.
    inWindow: (x, from, to) =>
      `${x}.occurred_on <= ${to} AND (${x}.occurred_on + CASE ${x}.precision WHEN 'DAY' THEN interval '1 day'
        WHEN 'MONTH' THEN interval '1 month' ELSE interval '1 year' END) > ${from}`,
  },
};

/** Qualifying citations of row `x`: visible, to a visible source, and meeting the scope's grades and window. */
function citations(spec: KindSpec, x: string, scope: BriefScope, sql: SqlBuilder): string {
  const [c, s, p] = [sql.alias(), sql.alias(), sql.alias()];
  const conditions = [
    `${c}.${spec.cited} = ${x}.id`,
    sql.visibleCitation(c, { statement: x, cited: spec.cited, source: s }),
    `${c}.credibility <= ${sql.param(scope.minCredibility)}`,
    `${s}.reliability <= ${sql.param(scope.minReliability, 'source_reliability')}`,
  ];
  // Undated sources stay: nothing says they fall outside the window.
  if (scope.from) conditions.push(`(${s}.published_on IS NULL OR ${s}.published_on >= ${sql.param(scope.from, 'date')})`);
  if (scope.to) conditions.push(`(${s}.published_on IS NULL OR ${s}.published_on <= ${sql.param(scope.to, 'date')})`);
  const source = `json_build_object('id', ${s}.id, 'name', ${s}.name, 'kind', ${s}.kind, 'publisherId', ${p}.id,
    'publisher', ${p}.name, 'publisherMarking', ${p}.marking, 'publishedOn', ${s}.published_on, 'reliability', ${s}.reliability, 'url', ${s}.url, 'marking', ${s}.marking)`;
  return `(SELECT json_agg(json_build_object('id', ${c}.id, 'verb', ${c}.verb, 'credibility', ${c}.credibility,
      'quote', ${c}.quote, 'marking', ${c}.marking, 'updatedAt', ${c}.updated_at, 'source', ${source}) ORDER BY ${c}.credibility, ${s}.reliability, ${c}.id)
    FROM citation ${c} JOIN source ${s} ON ${s}.id = ${c}.source_id
    LEFT JOIN actor ${p} ON ${p}.id = ${s}.publisher_id AND ${sql.visible(p, 'actor')}
    WHERE ${and(conditions)})`;
}

function statements(kind: StatementKind, scope: BriefScope, sql: SqlBuilder, complete: string): string {
  const spec = KINDS[kind];
  const x = sql.alias();
  const cited = sql.alias();
  const conditions = [complete, sql.visible(x, spec.table), `${cited}.list IS NOT NULL`];
  if (scope.topics.length) conditions.push(`${x}.topic_id IN (SELECT id FROM scope_topic)`);
  else conditions.push(`EXISTS (SELECT 1 FROM topic st WHERE st.id = ${x}.topic_id AND ${sql.visible('st', 'topic')})`);
  if (scope.actors.length) conditions.push(spec.aboutActors(x, 'ARRAY(SELECT id FROM scope_actor)'));
  if (spec.inWindow && (scope.from || scope.to)) {
    conditions.push(spec.inWindow(x, sql.param(scope.from ?? '0001-01-01', 'date'), sql.param(scope.to ?? '9999-12-31', 'date')));
  }
  return `SELECT json_build_object('kind', '${kind}', 'id', ${x}.id, 'marking', ${x}.marking, 'text', ${x}.${spec.text},
      'createdAt', ${x}.created_at, 'updatedAt', ${x}.updated_at, ${spec.fields(x, sql)}, 'citations', ${cited}.list) AS statement
    FROM ${spec.table} ${x} ${spec.joins?.(x, sql) ?? ''}
    CROSS JOIN LATERAL (SELECT ${citations(spec, x, scope, sql)} AS list) ${cited}
    WHERE ${and(conditions)}`;
}

/**
 * The one SQL statement that reads everything a brief needs for `scope`. Every table passes the access seam. Unless
 * every topic and actor of the scope is visible, no statement is read at all (the brief is refused), so a hidden
 * topic or actor costs exactly what a missing one does, and its timing tells nothing.
 */
export function briefQuery(sql: SqlBuilder, scope: BriefScope): string {
  const topicSlugs = sql.param(scope.topics, 'text[]');
  const actorIds = sql.param(scope.actors, 'uuid[]');
  const complete = `(SELECT count(*) FROM scope_topic) = cardinality(${topicSlugs}) AND (SELECT count(*) FROM scope_actor) = cardinality(${actorIds})`;
  const kinds = Object.keys(KINDS) as StatementKind[];
  const union = kinds.map((kind) => statements(kind, scope, sql, complete)).join('\nUNION ALL\n');
  return `WITH scope_topic AS (
      SELECT t.id, t.slug, t.title, t.summary, t.marking FROM topic t WHERE t.slug = ANY(${topicSlugs}) AND ${sql.visible('t', 'topic')}),
    scope_actor AS (SELECT a.id, a.name, a.marking FROM actor a WHERE a.id = ANY(${actorIds}) AND ${sql.visible('a', 'actor')})
    SELECT json_build_object(
      'topics', (SELECT coalesce(json_agg(row_to_json(scope_topic) ORDER BY slug), '[]'::json) FROM scope_topic),
      'actors', (SELECT coalesce(json_agg(json_build_object('id', id, 'name', name, 'marking', marking) ORDER BY name), '[]'::json) FROM scope_actor),
      'statements', (SELECT coalesce(json_agg(u.statement), '[]'::json) FROM (${union}) u)
    ) AS result`;
}

/** Everything a brief needs, read for `scope` in one SQL statement. */
export async function readBriefData(dataSource: DataSource, sql: SqlBuilder, scope: BriefScope): Promise<BriefData> {
  const rows = await dataSource.query(briefQuery(sql, scope), sql.params);
  const data: BriefData = rows[0].result;
  for (const s of data.statements) if (s.kind === 'RELATION') s.text = relationSentence(s);
  return data;
}

/** "Russia: treaty partner of North Korea since 24 October 2024. Comprehensive ..." */
function relationSentence(s: StatementRow): string {
  const since = s.validFrom ? ` since ${dateAt(s.validFrom)}` : '';
  const until = s.validTo ? ` until ${dateAt(s.validTo)}` : '';
  const relation = `${s.actor!.name}: ${s.category!.toLowerCase().replace(/_/g, ' ')} ${s.counterpart!.name}${since}${until}.`;
  return s.text ? `${relation} ${s.text}` : relation;
}
