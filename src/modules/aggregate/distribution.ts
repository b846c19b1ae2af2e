import type { DataSource } from 'typeorm';
import { badUserInput } from '../../common/errors';
import type { Viewer } from '../../common/viewer';
import { compile, sql, type Sql } from '../../read/fragment';
import { globalIdSql } from '../../read/global-id';
import { SqlBuilder } from '../../read/sql';
import { STATEMENT_KINDS, type StatementKind } from '../../registry/statement-kinds';
import { Vocabulary, type VocabularyName } from '../vocabulary/vocabularies';
import { DistributionField, type AggregateFilter, type Bucket } from './aggregate.types';
import { actorTotalRows, actorTotalsAnswer } from './actor-totals';
import { ROLLUP_FIELDS, rollupFilters, rollupRows } from './rollup';
import { actorJoin, allKinds, citationJoin, kindsFor, listed } from './statements';

/** Buckets of one answer at most, when `top` is given (the most counted first). */
export const MAX_BUCKETS = 1000;

/** What one statement row `a` contributes: the raw value it is counted by (a term, a grade, a row id), through the joins `from` adds. */
interface Contribution {
  value: Sql;
  from: Sql;
  /** The field may give one statement several rows of the same value (two actors of one kind): count it once. */
  distinct: boolean;
}

type Aliases = { a: Sql; x: Sql; link: Sql; c: Sql; s: Sql; p: Sql; t: Sql };

/**
 * How a field is counted: the kinds that have it, what each statement contributes, and how a value, once grouped
 * (`g.value`), reads as the bucket's key and label. Labels are looked up per bucket, after counting.
 */
interface Spec {
  kinds: readonly StatementKind[];
  contribution(kind: StatementKind, al: Aliases, q: SqlBuilder): Contribution;
  render(g: Sql, r: Sql, kinds: readonly StatementKind[]): { key: Sql; label: Sql; from: Sql };
}

const none = sql``;
const column = (value: Sql): Contribution => ({ value, from: none, distinct: false });
const scale =
  (name: string): Spec['contribution'] =>
  (_, { a }) =>
    column(sql`${a}.${sql.identifier(name)}::text`);
const asText = (g: Sql) => ({ key: sql`${g}.value`, label: sql`NULL::text`, from: none });

/** A term's label in the first of `vocabularies` that holds it. */
const termLabel = (vocabularies: VocabularyName[]) => (g: Sql, r: Sql) => ({
  key: sql`${g}.value`,
  label: sql`(SELECT ${r}.label FROM vocabulary_term ${r} WHERE ${r}.vocabulary = ANY(${sql.value(vocabularies, 'text[]')}) AND ${r}.term = ${g}.value
    ORDER BY ${r}.vocabulary LIMIT 1)`,
  from: none,
});

/** A row of `table` by the id grouped: its global id and its name (visibility was checked where it was counted). */
const row = (table: 'actor' | 'topic' | 'source', typeName: string, name: string) => (g: Sql, r: Sql) => ({
  key: globalIdSql(typeName, r),
  label: sql`${r}.${sql.identifier(name)}`,
  from: sql`JOIN ${sql.identifier(table)} ${r} ON ${r}.id = ${g}.value`,
});

const actors = (kind: StatementKind, { a, x, link }: Aliases, q: SqlBuilder) => sql`${actorJoin(kind, a, x, link)} AND ${q.visible(x, 'actor')}`;
const oneActor = (kind: StatementKind) => kind === 'CAPABILITY' || kind === 'CHALLENGE';

const FIELDS: Record<DistributionField, Spec> = {
  CATEGORY: {
    kinds: ['CAPABILITY', 'CHALLENGE'],
    contribution: (_, { a }) => column(sql`${a}.category`),
    render: (g, r, kinds) => termLabel(kinds.map((k) => (k === 'CAPABILITY' ? Vocabulary.CAPABILITY_CATEGORY : Vocabulary.CHALLENGE_CATEGORY)))(g, r),
  },
  RELATION_TYPE: { kinds: ['RELATION'], contribution: (_, { a }) => column(sql`${a}.type`), render: termLabel([Vocabulary.RELATION_TYPE]) },
  MARKING: { kinds: allKinds, contribution: scale('marking'), render: asText },
  LIKELIHOOD: { kinds: ['IMPLICATION'], contribution: scale('likelihood'), render: asText },
  CONFIDENCE: { kinds: ['IMPLICATION'], contribution: scale('confidence'), render: asText },
  ACTOR_KIND: {
    kinds: allKinds,
    contribution: (kind, al, q) => ({ value: sql`${al.x}.kind`, from: actors(kind, al, q), distinct: !oneActor(kind) }),
    render: termLabel([Vocabulary.ACTOR_KIND]),
  },
  ACTOR: {
    kinds: allKinds,
    contribution: (kind, al, q) => ({ value: sql`${al.x}.id`, from: actors(kind, al, q), distinct: false }),
    render: row('actor', 'Actor', 'name'),
  },
  TOPIC: {
    kinds: allKinds,
    contribution: (_, { a, t }, q) => ({
      value: sql`${t}.id`,
      from: sql`JOIN topic ${t} ON ${t}.id = ${a}.topic_id AND ${q.visible(t, 'topic')}`,
      distinct: false,
    }),
    render: row('topic', 'Topic', 'title'),
  },
  SOURCE: {
    kinds: allKinds,
    contribution: (kind, { a, c, s }, q) => ({ value: sql`${s}.id`, from: citationJoin(kind, a, c, s, q), distinct: true }),
    render: row('source', 'Source', 'name'),
  },
  PUBLISHER: {
    kinds: allKinds,
    contribution: (kind, { a, c, s, p }, q) => ({
      value: sql`${p}.id`,
      from: sql`${citationJoin(kind, a, c, s, q)} JOIN actor ${p} ON ${p}.id = ${s}.publisher_id AND ${q.visible(p, 'actor')}`,
      distinct: true,
    }),
    render: row('actor', 'Actor', 'name'),
  },
  RELIABILITY: {
    kinds: allKinds,
    contribution: (kind, { a, c, s }, q) => ({ value: sql`${s}.reliability::text`, from: citationJoin(kind, a, c, s, q), distinct: true }),
    render: asText,
  },
  CREDIBILITY: {
    kinds: allKinds,
    contribution: (kind, { a, c, s }, q) => ({ value: sql`${c}.credibility::text`, from: citationJoin(kind, a, c, s, q), distinct: true }),
    render: asText,
  },
};

/**
 * How an aggregate is counted: as served (`auto`: from the rollup, or the actor totals, wherever they can answer),
 * always by scanning the statements, or `rollup`, the same as `auto`, named so where it is compared with the scan.
 */
export type AggregatePath = 'auto' | 'rollup' | 'scan';

/** The (value, 1) rows of every statement of `kind` its list would show, one per value (DISTINCT where one may repeat). */
function scanned(spec: Spec, kind: StatementKind, q: SqlBuilder, filter: AggregateFilter | null | undefined): Sql {
  const al: Aliases = { a: q.alias(), x: q.alias(), link: q.alias(), c: q.alias(), s: q.alias(), p: q.alias(), t: q.alias() };
  const { value, from, distinct } = spec.contribution(kind, al, q);
  const table = sql.identifier(STATEMENT_KINDS[kind].table);
  const where = listed(kind, al.a, q, filter);
  const d = q.alias();
  return distinct
    ? sql`SELECT ${d}.value, 1 AS n FROM (SELECT DISTINCT ${al.a}.id, ${value} AS value FROM ${table} ${al.a} ${from} WHERE ${where}) ${d}`
    : sql`SELECT ${value} AS value, 1 AS n FROM ${table} ${al.a} ${from} WHERE ${where}`;
}

/**
 * The SQL of `distribution`: one statement. From the rollup, the visible rollup rows of the field (for ACTOR, the
 * rows of the actor totals that hold the top, actor-totals.ts); otherwise each kind
 * is a branch that selects the value of every statement its list would show (DISTINCT (statement, value) where a
 * value may repeat). Either way the (value, n) rows are summed by value, ordered by count, cut to `top`, and only
 * then given their keys and labels.
 */
export function distributionSql(
  viewer: Viewer,
  field: DistributionField,
  asked: StatementKind[] | null | undefined,
  filter: AggregateFilter | null | undefined,
  top?: number | null,
  path: AggregatePath = 'auto',
) {
  if (top != null && (!Number.isInteger(top) || top < 1 || top > MAX_BUCKETS)) throw badUserInput('top', `must be between 1 and ${MAX_BUCKETS}`);
  const spec = FIELDS[field];
  const kinds = kindsFor(field, spec.kinds, asked, filter);
  const q = new SqlBuilder(viewer, 0);
  const fast = path !== 'scan';
  const branches =
    fast && field === DistributionField.ACTOR && actorTotalsAnswer(q, kinds, filter)
      ? [actorTotalRows(q, filter, top)]
      : fast && ROLLUP_FIELDS.has(field) && rollupFilters(filter)
        ? [rollupRows(q, field, kinds, filter)]
        : kinds.map((kind) => scanned(spec, kind, q, filter));
  const [u, g, r] = [q.alias(), q.alias(), q.alias()];
  const { key, label, from } = spec.render(g, r, kinds);
  const limit = top != null ? sql`LIMIT ${sql.int(top)}` : none;
  return compile(sql`SELECT coalesce(json_agg(json_build_object('key', ${key}, 'label', ${label}, 'count', ${g}.n) ORDER BY ${g}.n DESC, ${g}.value NULLS LAST), '[]') AS result
    FROM (SELECT ${u}.value, sum(${u}.n)::int AS n FROM (${sql.join(branches, '\nUNION ALL\n')}) ${u} GROUP BY ${u}.value HAVING sum(${u}.n) > 0
      ORDER BY n DESC, ${u}.value NULLS LAST ${limit}) ${g} ${from}`);
}

export async function distribution(
  dataSource: DataSource,
  viewer: Viewer,
  field: DistributionField,
  kinds: StatementKind[] | null | undefined,
  filter: AggregateFilter | null | undefined,
  top?: number | null,
  path: AggregatePath = 'auto',
): Promise<Bucket[]> {
  const { text, values } = distributionSql(viewer, field, kinds, filter, top, path);
  const [row] = await dataSource.query<Array<{ result: Bucket[] }>>(text, values);
  return row.result;
}
