import type { DataSource } from 'typeorm';
import { badUserInput } from '../../common/errors';
import type { Viewer } from '../../common/viewer';
import { compile, sql, type Sql } from '../../read/fragment';
import { globalIdSql } from '../../read/global-id';
import { SqlBuilder } from '../../read/sql';
import { STATEMENT_KINDS, type StatementKind } from '../../registry/statement-kinds';
import { Vocabulary, type VocabularyName } from '../vocabulary/vocabularies';
import { DistributionField, type AggregateFilter, type Bucket } from './aggregate.types';
import { actorJoin, allKinds, citationJoin, kindsFor, listed } from './statements';

/** What one statement row `a` contributes: its bucket key and label, through the joins `from` adds. */
interface Contribution {
  key: Sql;
  label: Sql;
  from: Sql;
  /** The field may give one statement several rows of the same key (two actors of one kind): count it once. */
  distinct: boolean;
}

type Aliases = { a: Sql; x: Sql; link: Sql; c: Sql; s: Sql; p: Sql; v: Sql; t: Sql };
type Spec = { kinds: readonly StatementKind[]; contribution(kind: StatementKind, al: Aliases, q: SqlBuilder): Contribution };

const none = sql``;
const term = (vocabulary: VocabularyName, column: Sql, v: Sql): Contribution => ({
  key: column,
  label: sql`${v}.label`,
  from: sql`LEFT JOIN vocabulary_term ${v} ON ${v}.vocabulary = ${sql.value(vocabulary)} AND ${v}.term = ${column}`,
  distinct: false,
});
const scale = (column: Sql): Contribution => ({ key: sql`${column}::text`, label: sql`NULL::text`, from: none, distinct: false });

const FIELDS: Record<DistributionField, Spec> = {
  CATEGORY: {
    kinds: ['CAPABILITY', 'CHALLENGE'],
    contribution: (kind, { a, v }) => term(kind === 'CAPABILITY' ? Vocabulary.CAPABILITY_CATEGORY : Vocabulary.CHALLENGE_CATEGORY, sql`${a}.category`, v),
  },
  RELATION_TYPE: { kinds: ['RELATION'], contribution: (_, { a, v }) => term(Vocabulary.RELATION_TYPE, sql`${a}.type`, v) },
  MARKING: { kinds: allKinds, contribution: (_, { a }) => scale(sql`${a}.marking`) },
  LIKELIHOOD: { kinds: ['IMPLICATION'], contribution: (_, { a }) => scale(sql`${a}.likelihood`) },
  CONFIDENCE: { kinds: ['IMPLICATION'], contribution: (_, { a }) => scale(sql`${a}.confidence`) },
  ACTOR_KIND: {
    kinds: allKinds,
    contribution: (kind, { a, x, link, v }, q) => {
      const kindTerm = term(Vocabulary.ACTOR_KIND, sql`${x}.kind`, v);
      return {
        ...kindTerm,
        from: sql`${actorJoin(kind, a, x, link)} AND ${q.visible(x, 'actor')} ${kindTerm.from}`,
        distinct: kind !== 'CAPABILITY' && kind !== 'CHALLENGE',
      };
    },
  },
  ACTOR: {
    kinds: allKinds,
    contribution: (kind, { a, x, link }, q) => ({
      key: globalIdSql('Actor', x),
      label: sql`${x}.name`,
      from: sql`${actorJoin(kind, a, x, link)} AND ${q.visible(x, 'actor')}`,
      distinct: false,
    }),
  },
  TOPIC: {
    kinds: allKinds,
    contribution: (_, { a, t }, q) => ({
      key: globalIdSql('Topic', t),
      label: sql`${t}.title`,
      from: sql`JOIN topic ${t} ON ${t}.id = ${a}.topic_id AND ${q.visible(t, 'topic')}`,
      distinct: false,
    }),
  },
  SOURCE: {
    kinds: allKinds,
    contribution: (kind, { a, c, s }, q) => ({ key: globalIdSql('Source', s), label: sql`${s}.name`, from: citationJoin(kind, a, c, s, q), distinct: true }),
  },
  PUBLISHER: {
    kinds: allKinds,
    contribution: (kind, { a, c, s, p }, q) => ({
      key: globalIdSql('Actor', p),
      label: sql`${p}.name`,
      from: sql`${citationJoin(kind, a, c, s, q)} JOIN actor ${p} ON ${p}.id = ${s}.publisher_id AND ${q.visible(p, 'actor')}`,
      distinct: true,
    }),
  },
  RELIABILITY: {
    kinds: allKinds,
    contribution: (kind, { a, c, s }, q) => ({
      key: sql`${s}.reliability::text`,
      label: sql`NULL::text`,
      from: citationJoin(kind, a, c, s, q),
      distinct: true,
    }),
  },
  CREDIBILITY: {
    kinds: allKinds,
    contribution: (kind, { a, c, s }, q) => ({
      key: sql`${c}.credibility::text`,
      label: sql`NULL::text`,
      from: citationJoin(kind, a, c, s, q),
      distinct: true,
    }),
  },
};

/** Buckets of one answer at most, when `first` is given (the most counted first). */
export const MAX_BUCKETS = 1000;

/** The SQL of `distribution`: one statement, a UNION ALL of one branch per kind, grouped by key. */
export function distributionSql(
  viewer: Viewer,
  field: DistributionField,
  asked: StatementKind[] | null | undefined,
  filter: AggregateFilter | null | undefined,
  first?: number | null,
) {
  if (first != null && (!Number.isInteger(first) || first < 1 || first > MAX_BUCKETS)) throw badUserInput('first', `must be between 1 and ${MAX_BUCKETS}`);
  const spec = FIELDS[field];
  const kinds = kindsFor(field, spec.kinds, asked, filter);
  const q = new SqlBuilder(viewer, 0);
  const branches = kinds.map((kind) => {
    const al: Aliases = { a: q.alias(), x: q.alias(), link: q.alias(), c: q.alias(), s: q.alias(), p: q.alias(), v: q.alias(), t: q.alias() };
    const { key, label, from, distinct } = spec.contribution(kind, al, q);
    const table = sql.identifier(STATEMENT_KINDS[kind].table);
    const where = listed(kind, al.a, q, filter);
    const d = q.alias();
    // A statement counts once per key: the DISTINCT is over (statement, key), only where a key may repeat.
    return distinct
      ? sql`SELECT ${d}.key, ${d}.label FROM (SELECT DISTINCT ${al.a}.id, ${key} AS key, ${label} AS label FROM ${table} ${al.a} ${from} WHERE ${where}) ${d}`
      : sql`SELECT ${key} AS key, ${label} AS label FROM ${table} ${al.a} ${from} WHERE ${where}`;
  });
  const [u, g] = [q.alias(), q.alias()];
  return compile(sql`SELECT coalesce(json_agg(json_build_object('key', ${g}.key, 'label', ${g}.label, 'count', ${g}.n) ORDER BY ${g}.n DESC, ${g}.key NULLS LAST), '[]') AS result
    FROM (SELECT ${u}.key, min(${u}.label) AS label, count(*)::int AS n FROM (${sql.join(branches, '\nUNION ALL\n')}) ${u} GROUP BY ${u}.key
      ORDER BY n DESC, ${u}.key NULLS LAST ${first != null ? sql`LIMIT ${sql.int(first)}` : sql``}) ${g}`);
}

export async function distribution(
  dataSource: DataSource,
  viewer: Viewer,
  field: DistributionField,
  kinds: StatementKind[] | null | undefined,
  filter: AggregateFilter | null | undefined,
  first?: number | null,
): Promise<Bucket[]> {
  const { text, values } = distributionSql(viewer, field, kinds, filter, first);
  const [row] = await dataSource.query<Array<{ result: Bucket[] }>>(text, values);
  return row.result;
}
