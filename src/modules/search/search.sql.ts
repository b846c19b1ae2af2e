import type { FieldNode } from 'graphql';
import { badUserInput } from '../../common/errors';
import type { Compiler } from '../../read/compile';
import { live } from '../../read/filters';
import { and, sql, type Sql } from '../../read/fragment';
import { tsquery, type ParsedQuery } from './search.query';
import { ENTRY_KINDS, SEARCH_TABLES, statementInTopic, type SearchField, type SearchTable } from './search.tables';
import type { SearchType } from './search.types';

/** A hit's place in the ranking: best rank first, ties by type and id. */
export interface SearchPosition {
  rank: number;
  type: SearchType;
  id: string;
}

/** Hits of `h` after (`>`) or before (`<`) a position in the ranking, or at it too (`>=`, `<=`). */
function ranked(h: Sql, at: SearchPosition, op: '>' | '<' | '>=' | '<='): Sql {
  const rank = sql.value(at.rank, 'float8');
  const tie = sql`(${h}.type, ${h}.id) ${{ '>': sql`>`, '<': sql`<`, '>=': sql`>=`, '<=': sql`<=` }[op]} (${sql.value(at.type)}, ${sql.value(at.id, 'uuid')})`;
  // A lower rank comes later.
  return op.startsWith('>') ? sql`(${h}.rank < ${rank} OR (${h}.rank = ${rank} AND ${tie}))` : sql`(${h}.rank > ${rank} OR (${h}.rank = ${rank} AND ${tie}))`;
}

/**
 * How many matching statements are ranked: the newest this many (by creation). Part of the API: `search` says so.
 */
export const SEARCH_CANDIDATES = 1000;
/**
 * How many of the newest entries are read for the candidates: the first window, then the second when the first found
 * enough matches to expect the candidates within it (twice as many, scaled), before the GIN index is asked instead.
 */
const RECENT_WINDOWS = [10000, 100000] as const;

export interface SearchPlan {
  query: ParsedQuery;
  types: SearchType[];
  topic?: string | null;
  includeRetracted: boolean;
  /** Page size; with `backward`, the hits just before `before`. */
  first: number;
  backward?: boolean;
  after?: SearchPosition;
  before?: SearchPosition;
  count: boolean;
  /** Count matches up to this many (one more is counted to tell whether there are more), when asked. */
  countLimit?: number;
  itemNodes: readonly FieldNode[];
}

// Private-use characters mark the highlighted words: stripped from the text first, so content can never fake one.
export const START = '\uE000';
export const STOP = '\uE001';
const HEADLINE_OPTIONS = sql`'StartSel="' || chr(57344) || '", StopSel="' || chr(57345) || '", MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "'`;

const cfgOf = (f: SearchField) => (f.config === 'english' ? sql`'english'::regconfig` : sql`'simple'::regconfig`);
const vectorOf = (row: Sql, fields: SearchField[]) =>
  sql.join(
    fields.map((f) => sql`to_tsvector(${cfgOf(f)}, coalesce(${f.text(row)}, ''))`),
    ' || ',
  );

/**
 * One statement for a whole search: every searchable table's visible, matching rows as (type, id, rank), UNION ALL,
 * ranked and cut to the page; only the page's rows get their snippet, matched field and item (compiled as `node` is,
 * through the access seam again). The count, when asked for, counts the same visible rows.
 */
export function searchSql(c: Compiler, plan: SearchPlan): Sql {
  const q = c.q;
  const queries = { english: tsquery(plan.query, 'english'), simple: tsquery(plan.query, 'simple') };
  const plain = sql.value(plan.query.plain);
  const tables = SEARCH_TABLES.filter((t) => plan.types.includes(t.type));

  const branch = (t: SearchTable) => {
    const row = q.alias();
    const matches: Sql[] = [];
    const ranks: Sql[] = [];
    for (const config of ['english', 'simple'] as const) {
      const fields = t.fields.filter((f) => f.config === config);
      if (!fields.length) continue;
      const vector = config === 'english' && t.storedEnglish ? t.storedEnglish(row) : vectorOf(row, fields);
      matches.push(sql`(${vector}) @@ ${queries[config]}`);
      ranks.push(sql`ts_rank_cd(${vector}, ${queries[config]})`);
    }
    if (t.trigram) {
      // Misspelt names: word similarity over the default threshold (0.6), the operator the trigram index serves.
      matches.push(sql`${plain} <% ${t.trigram(row)}`);
      ranks.push(sql`CASE WHEN ${plain} <% ${t.trigram(row)} THEN word_similarity(${plain}, ${t.trigram(row)}) * 0.1 ELSE 0 END`);
    }
    const where = and([
      sql`(${sql.join(matches, ' OR ')})`,
      q.visible(row, t.table),
      ...(plan.includeRetracted ? [] : [live(row), ...(t.standing ? [t.standing(row, q)] : [])]),
      ...(plan.topic ? [t.inTopic(row, q, plan.topic)] : []),
    ]);
    return sql`SELECT ${sql.key(t.type)}::text AS type, ${row}.id, (${ranks.reduce((a, b) => sql`${a} + ${b}`)})::float8 AS rank
      FROM ${sql.identifier(t.table)} ${row} WHERE ${where}`;
  };

  // The statement kinds, all in one scan of their narrow search rows: which rows match and may be read.
  const kinds = tables.filter((t) => t.entryKind);
  const entryRows = (e: Sql) => {
    const codes = kinds.map((t) => t.entryKind as number);
    return and([
      sql`${e}.vector @@ ${queries.english}`,
      ...(codes.length < ENTRY_KINDS ? [sql`${e}.kind = ANY(${sql.value(codes, 'int2[]')})`] : []),
      q.visible(e, 'search_entry'),
      ...(plan.includeRetracted ? [] : [live(e)]),
      ...(plan.topic ? [statementInTopic(e, q, plan.topic)] : []),
    ]);
  };
  // Ranked among the newest SEARCH_CANDIDATES matches only: a term matching a large share of all statements is never
  // ranked row by row. The same candidates are found one of three ways, chosen as the statement runs from what was
  // found (never by the planner's guess, which assumes words occur independently: two common words that never meet
  // were planned as a walk down the whole table). `recent1` reads the newest RECENT_WINDOWS[0] entries in creation
  // order (search_entry_newest) and keeps the matches: when it finds SEARCH_CANDIDATES, they are the newest matches
  // of all. Otherwise `recent2` reads the larger window, only when what recent1 found promises the candidates there
  // (a phrase of one statement in 35). Otherwise the matches are few, and `sparse` takes them all from the GIN index
  // (its order cannot use the btree).
  const e = sql.identifier('e');
  const candidate = sql`${e}.kind, ${e}.id, ${e}.vector, ${e}.created_at`;
  const N = sql.int(SEARCH_CANDIDATES);
  // One match more than the candidates is looked for: finding it tells a bounded count that more match.
  const F = sql.int(SEARCH_CANDIDATES + 1);
  const recentSql = (window: number) =>
    sql`SELECT ${candidate} FROM (SELECT * FROM search_entry ORDER BY created_at DESC, id DESC LIMIT ${sql.int(window)}) ${e}
      WHERE ${entryRows(e)} ORDER BY ${e}.created_at DESC, ${e}.id DESC LIMIT ${F}`;
  const [found1, found2] = [sql`(SELECT count(*) FROM recent1)`, sql`(SELECT count(*) FROM recent2)`];
  const promising = sql`(${found1} < ${F} AND ${found1} * ${sql.int(RECENT_WINDOWS[1] / RECENT_WINDOWS[0])} >= ${sql.int(2 * SEARCH_CANDIDATES)})`;
  const dense = sql`(${found1} = ${F} OR ${found2} = ${F})`;
  const sparseRows = (e2: Sql, limit?: number) =>
    sql`FROM search_entry ${e2} WHERE ${entryRows(e2)} ORDER BY ${e2}.created_at + interval '0 s' DESC, ${e2}.id DESC${limit === undefined ? sql`` : sql` LIMIT ${sql.int(limit)}`}`;
  const recentCtes = sql`recent1 AS MATERIALIZED (${recentSql(RECENT_WINDOWS[0])}),
    recent2 AS MATERIALIZED (SELECT * FROM (${recentSql(RECENT_WINDOWS[1])}) r WHERE ${promising}),
    sparse AS MATERIALIZED (SELECT * FROM (SELECT ${candidate} ${sparseRows(e, SEARCH_CANDIDATES + 1)}) s WHERE NOT ${dense}),`;
  // Fewer sparse matches than it looked for: they are all the matches, counted already.
  const found3 = sql`(SELECT count(*) FROM sparse)`;
  const allFound = sql`(NOT ${dense} AND ${found3} < ${F})`;
  const entries = () => {
    const names = sql.join(
      SEARCH_TABLES.filter((t) => t.entryKind).map((t) => sql.key(t.type)),
      ', ',
    );
    return sql`SELECT (ARRAY[${names}])[${e}.kind]::text AS type, ${e}.id, ts_rank_cd(${e}.vector, ${queries.english})::float8 AS rank
      FROM (SELECT * FROM recent1 WHERE ${found1} = ${F} UNION ALL SELECT * FROM recent2 WHERE ${found1} < ${F} AND ${found2} = ${F}
        UNION ALL SELECT * FROM sparse ORDER BY created_at DESC, id DESC LIMIT ${N}) ${e}`;
  };
  // How many statements match, all of them (`limit` absent) or up to `limit`: when dense, at least the candidates
  // found (else the first matches found); otherwise from the GIN index.
  const entryCount = (limit?: number) => {
    if (!kinds.length) return sql`0`;
    const e2 = q.alias();
    if (limit === undefined) return sql`CASE WHEN ${allFound} THEN ${found3} ELSE (SELECT count(*) FROM search_entry ${e2} WHERE ${entryRows(e2)}) END`;
    const e3 = q.alias();
    const known = limit <= SEARCH_CANDIDATES + 1 ? sql`${sql.int(limit)}` : undefined;
    return sql`CASE WHEN ${dense} THEN ${known ?? sql`(SELECT count(*) FROM (SELECT 1 FROM search_entry ${e2} WHERE ${entryRows(e2)} LIMIT ${sql.int(limit)}) n)`}
      WHEN ${allFound} THEN ${found3} ELSE (SELECT count(*) FROM (SELECT 1 ${sparseRows(e3, limit)}) n) END`;
  };

  const detail = (t: SearchTable, hit: Sql) => {
    const row = q.alias();
    const matched = t.fields.map((f) => sql`WHEN to_tsvector(${cfgOf(f)}, coalesce(${f.text(row)}, '')) @@ ${queries[f.config]} THEN ${sql.key(f.name)}`);
    const fallback = t.fields[0].name;
    const headline = t.fields.map(
      (f) =>
        sql`WHEN ${sql.key(f.name)} THEN ts_headline(${cfgOf(f)}, translate(coalesce(${f.text(row)}, ''), chr(57344) || chr(57345), ''), ${queries[f.config]}, ${HEADLINE_OPTIONS})`,
    );
    return sql`(SELECT json_build_object('field', m.field, 'headline', CASE m.field ${sql.join(headline, ' ')} END,
        'item', ${c.object(c.model(t.typeName), row, plan.itemNodes)})
      FROM ${sql.identifier(t.table)} ${row}, LATERAL (SELECT CASE ${sql.join(matched, ' ')} ELSE ${sql.key(fallback)} END AS field) m
      WHERE ${row}.id = ${hit}.id AND ${q.visible(row, t.table)})`;
  };

  const h = sql.identifier('h');
  const bounds = [...(plan.after ? [ranked(h, plan.after, '>')] : []), ...(plan.before ? [ranked(h, plan.before, '<')] : [])];
  const window = bounds.length ? sql`WHERE ${and(bounds)}` : sql``;
  // Hits on the far side of the cursor the page reads from: at or before `after`, at or after `before`.
  const beyond = plan.backward ? (plan.before ? ranked(h, plan.before, '>=') : undefined) : plan.after ? ranked(h, plan.after, '<=') : undefined;
  const farSide = beyond ? sql`EXISTS (SELECT 1 FROM hits ${h} WHERE ${beyond})` : sql`FALSE`;
  // A backward page reads from its cursor outward (worst first) and is turned back by the caller.
  const reading = plan.backward ? sql`rank ASC, type DESC, id DESC` : sql`rank DESC, type, id`;
  if (!tables.length) throw badUserInput('types', 'give at least one type');
  const details = tables.map((t) => sql`WHEN ${sql.key(t.type)} THEN ${detail(t, sql`p`)}`);
  const others = tables.filter((t) => !t.entryKind).map(branch);
  const branches = [...(kinds.length ? [entries()] : []), ...others];
  const otherCount = others.length
    ? sql`(SELECT count(*) FROM hits WHERE type <> ALL(${sql.value(
        kinds.map((t) => t.type),
        'text[]',
      )}))`
    : sql`0`;
  // Counted one past the limit, so the caller tells "exactly the limit" from "more".
  const total = plan.count ? sql`(${entryCount()} + ${otherCount})::int` : sql`NULL`;
  const atLeast = plan.countLimit === undefined ? sql`NULL` : sql`(${entryCount(plan.countLimit + 1)} + ${otherCount})::int`;
  const recent = kinds.length ? recentCtes : sql``;
  return sql`(WITH ${recent} hits AS (${sql.join(branches, '\nUNION ALL\n')}),
    page AS (SELECT ${h}.* FROM hits ${h} ${window} ORDER BY ${reading} LIMIT ${sql.int(plan.first + 1)})
    SELECT json_build_object('totalCount', ${total}, 'countAtLeast', ${atLeast}, 'farSide', ${farSide}, 'hits', coalesce((SELECT json_agg(json_build_object('type', p.type, 'id', p.id,
      'rank', p.rank, 'detail', CASE p.type ${sql.join(details, ' ')} END) ORDER BY ${reading}) FROM page p), '[]'::json)))`;
}
