import type { FieldNode } from 'graphql';
import { badUserInput } from '../../common/errors';
import type { Compiler } from '../../read/compile';
import { live } from '../../read/filters';
import { and, sql, type Sql } from '../../read/fragment';
import { tsquery, type ParsedQuery } from './search.query';
import { SEARCH_TABLES, type SearchField, type SearchTable } from './search.tables';
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
  const total = plan.count ? sql`(SELECT count(*)::int FROM hits)` : sql`NULL`;
  return sql`(WITH hits AS (${sql.join(tables.map(branch), '\nUNION ALL\n')}),
    page AS (SELECT ${h}.* FROM hits ${h} ${window} ORDER BY ${reading} LIMIT ${sql.int(plan.first + 1)})
    SELECT json_build_object('totalCount', ${total}, 'farSide', ${farSide}, 'hits', coalesce((SELECT json_agg(json_build_object('type', p.type, 'id', p.id,
      'rank', p.rank, 'detail', CASE p.type ${sql.join(details, ' ')} END) ORDER BY ${reading}) FROM page p), '[]'::json)))`;
}
