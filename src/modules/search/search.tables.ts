import { inTopic, live } from '../../read/filters';
import { sql, type Sql } from '../../read/fragment';
import type { ItemTable } from '../../read/access';
import type { SqlBuilder } from '../../read/sql';
import { STATEMENT_KINDS, statementKinds } from '../../registry/statement-kinds';
import { sourcesOfTopic } from '../source/source.type';
import { SearchType } from './search.types';

/** One searchable field: its name (`matchedField`), its text and how it is indexed (see the AddSearch migration). */
export interface SearchField {
  name: string;
  /** The field's text, possibly null: vectors wrap it in coalesce(..., ''), as the index expressions do. */
  text: (row: Sql) => Sql;
  /** 'english' for prose (stemmed), 'simple' for names (kept as written). */
  config: 'english' | 'simple';
}

export interface SearchTable {
  type: SearchType;
  typeName: string;
  table: ItemTable;
  fields: SearchField[];
  /**
   * The table's stored 'english' vector (the StoreSearchVectors migration): its english fields' vectors concatenated,
   * kept by a trigger and indexed. Matching and ranking read it instead of parsing each row's text again.
   */
  storedEnglish?: (row: Sql) => Sql;
  /** A statement kind: its code in search_entry (the AddSearchEntries migration), where it is matched and ranked. */
  entryKind?: number;
  /** Trigram-indexed text for misspelt names (the expression of the migration's trigram index). */
  trigram?: (row: Sql) => Sql;
  /** Rows of the topic whose slug is given, the topic visible to the reader. */
  inTopic: (row: Sql, q: SqlBuilder, slug: string) => Sql;
  /** Beyond the row's own retraction: what it rests on stands too (left out with it unless includeRetracted). */
  standing?: (row: Sql, q: SqlBuilder) => Sql;
}

const column = (name: string) => (row: Sql) => sql`${row}.${sql.identifier(name)}`;
const prose = (name: string): SearchField => ({ name, text: column(name), config: 'english' });
const topicId = (q: SqlBuilder, slug: string) => {
  const tp = q.alias();
  return sql`(SELECT ${tp}.id FROM topic ${tp} WHERE ${tp}.slug = ${sql.value(slug)} AND ${q.visible(tp, 'topic')})`;
};
const storedEnglish = column('search_english');
export const statementInTopic = (row: Sql, q: SqlBuilder, slug: string) => inTopic(row, q, slug)[0];
const statement = (type: SearchType, kind: keyof typeof STATEMENT_KINDS, entryKind: number, fields: SearchField[]): SearchTable => ({
  type,
  entryKind,
  typeName: STATEMENT_KINDS[kind].typeName,
  table: STATEMENT_KINDS[kind].table,
  fields,
  storedEnglish,
  inTopic: statementInTopic,
});

/** Every searchable type, in the order of the SearchType enum. */
export const SEARCH_TABLES: SearchTable[] = [
  statement(SearchType.CAPABILITY, 'CAPABILITY', 1, [prose('statement')]),
  statement(SearchType.CHALLENGE, 'CHALLENGE', 2, [prose('statement')]),
  statement(SearchType.IMPLICATION, 'IMPLICATION', 3, [prose('statement')]),
  statement(SearchType.EVENT, 'EVENT', 4, [prose('title'), prose('description')]),
  statement(SearchType.RELATION, 'RELATION', 5, [prose('description')]),
  {
    type: SearchType.TOPIC,
    typeName: 'Topic',
    table: 'topic',
    fields: [prose('title'), prose('summary')],
    inTopic: (row, q, slug) => sql`${row}.id = ${topicId(q, slug)}`,
  },
  {
    type: SearchType.ACTOR,
    typeName: 'Actor',
    table: 'actor',
    fields: [
      { name: 'name', text: column('name'), config: 'simple' },
      { name: 'aliases', text: (row) => sql`search_aliases(${row}.aliases)`, config: 'simple' },
      prose('description'),
    ],
    trigram: (row) => sql`search_names(${row}.name, ${row}.aliases)`,
    inTopic: (row, q, slug) => {
      const link = q.alias();
      return sql`${row}.id IN (SELECT ${link}.actor_id FROM topic_actor ${link} WHERE ${link}.topic_id = ${topicId(q, slug)})`;
    },
  },
  {
    type: SearchType.LOCATION,
    typeName: 'Location',
    table: 'location',
    fields: [{ name: 'name', text: column('name'), config: 'simple' }, prose('description')],
    trigram: (row) => sql`coalesce(${row}.name, '')`,
    inTopic: (row, q, slug) => {
      const ev = q.alias();
      return sql`${row}.id IN (SELECT ${ev}.location_id FROM event ${ev} WHERE ${ev}.topic_id = ${topicId(q, slug)} AND ${live(ev)} AND ${q.visible(ev, 'event')})`;
    },
  },
  {
    type: SearchType.SOURCE,
    typeName: 'Source',
    table: 'source',
    fields: [{ name: 'name', text: column('name'), config: 'simple' }, prose('description')],
    trigram: (row) => sql`coalesce(${row}.name, '')`,
    inTopic: (row, q, slug) => sourcesOfTopic(topicId(q, slug), row, q),
  },
  {
    type: SearchType.CITATION,
    typeName: 'Citation',
    table: 'citation',
    fields: [prose('quote')],
    storedEnglish,
    // As everywhere else a retracted statement or source has left (lists, counts, briefs): its citations go with it.
    standing: (row, q) => {
      const statementStands = statementKinds.map((kind) => {
        const { table, cited } = STATEMENT_KINDS[kind];
        const st = q.alias();
        // A correlated EXISTS is one index probe per citation; `IN (SELECT ...)` over a million statements was
        // planned as a scan of all of them for each citation.
        return sql`EXISTS (SELECT 1 FROM ${sql.identifier(table)} ${st} WHERE ${st}.id = ${row}.${sql.identifier(cited)} AND ${live(st)})`;
      });
      const s = q.alias();
      return sql`(${sql.join(statementStands, ' OR ')}) AND EXISTS (SELECT 1 FROM source ${s} WHERE ${s}.id = ${row}.source_id AND ${live(s)})`;
    },
    inTopic: (row, q, slug) => {
      const id = topicId(q, slug);
      const cases = statementKinds.map((kind) => {
        const { table, cited } = STATEMENT_KINDS[kind];
        const st = q.alias();
        return sql`EXISTS (SELECT 1 FROM ${sql.identifier(table)} ${st} WHERE ${st}.id = ${row}.${sql.identifier(cited)} AND ${st}.topic_id = ${id})`;
      });
      return sql`(${sql.join(cases, ' OR ')})`;
    },
  },
];

/** How many statement kinds search_entry holds. */
export const ENTRY_KINDS = SEARCH_TABLES.filter((t) => t.entryKind).length;
