import type { DataSource } from 'typeorm';
import { badUserInput } from '../../common/errors';
import type { Viewer } from '../../common/viewer';
import { inTopic } from '../../read/filters';
import { and, compile, sql, type Sql } from '../../read/fragment';
import { occurredInSql } from '../event/event.dates';
import { SqlBuilder } from '../../read/sql';
import { STATEMENT_KINDS, type StatementKind } from '../../registry/statement-kinds';
import { shownTo, visibilityOf } from '../history/change.read';
import { Interval, TimeField, type AggregateFilter, type TimeBucket } from './aggregate.types';
import type { AggregatePath } from './distribution';
import { changeRollupRows } from './change-rollup';
import { rollupFilters, rollupRows } from './rollup';
import { allKinds, citationJoin, kindsFor, listed } from './statements';

export const MAX_BUCKETS = 1000;

const STEP: Record<Interval, { unit: string; step: string; days: number }> = {
  DAY: { unit: 'day', step: '1 day', days: 1 },
  WEEK: { unit: 'week', step: '1 week', days: 7 },
  MONTH: { unit: 'month', step: '1 month', days: 28 },
  QUARTER: { unit: 'quarter', step: '3 months', days: 89 },
  YEAR: { unit: 'year', step: '1 year', days: 365 },
};

/** Event precisions fine enough to place an event in one bucket of each interval; the others are `imprecise`. */
const PRECISE: Record<Interval, string[]> = {
  DAY: ['DAY'],
  WEEK: ['DAY'],
  MONTH: ['DAY', 'MONTH'],
  QUARTER: ['DAY', 'MONTH'],
  YEAR: ['DAY', 'MONTH', 'YEAR'],
};

export interface TimeSeriesArgs {
  of: TimeField;
  interval: Interval;
  from: string;
  to: string;
  kinds?: StatementKind[] | null;
  filter?: AggregateFilter | null;
  /** From the rollups where they can answer (EVENT_DATE, REPORT_DATE under topic and marking filters; CHANGE_DATE), or by a scan. */
  path?: AggregatePath;
}

/** The buckets [from, to] spans, at most MAX_BUCKETS (an upper bound: months and quarters counted short). */
function checkRange({ interval, from, to }: TimeSeriesArgs) {
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000;
  if (days < 0) throw badUserInput('to', 'must be on or after from');
  if (days / STEP[interval].days + 2 > MAX_BUCKETS) throw badUserInput('interval', `[from, to] spans more than ${MAX_BUCKETS} buckets of a ${interval}`);
}

/**
 * The SQL of `timeSeries`: every bucket from the one holding `from` to the one holding `to` (generate_series, empty
 * ones 0), left-joined to the counts per bucket (date_trunc). Timestamps without a time zone throughout.
 */
export function timeSeriesSql(viewer: Viewer, args: TimeSeriesArgs) {
  checkRange(args);
  const q = new SqlBuilder(viewer, 0);
  const { unit, step } = STEP[args.interval];
  const [u, st] = [sql.value(unit, 'text'), sql.value(step, 'interval')];
  const lo = sql`date_trunc(${u}, ${sql.value(args.from, 'date')}::timestamp)`;
  const hi = sql`(date_trunc(${u}, ${sql.value(args.to, 'date')}::timestamp) + ${st})`;
  const [b, n, i] = [q.alias(), q.alias(), q.alias()];
  const { precise, imprecise } = counts(q, args, { u, lo, hi });
  const imprecision = imprecise
    ? // A coarse event counts in every bucket its date's interval overlaps: the rule of event.dates.ts, bucket by bucket.
      sql`LEFT JOIN LATERAL (SELECT sum(${i}.n)::int AS n FROM coarse ${i}
        WHERE ${and(occurredInSql(i, sql`${b}.start::date`, sql`(${b}.start + ${st} - interval '1 day')::date`))}) ${i} ON TRUE`
    : sql`LEFT JOIN LATERAL (SELECT 0 AS n) ${i} ON TRUE`;
  return compile(sql`WITH precise AS MATERIALIZED (${precise})${imprecise ? sql`, coarse AS MATERIALIZED (${imprecise})` : sql``}
    SELECT coalesce(json_agg(json_build_object('start', to_char(${b}.start, 'YYYY-MM-DD'), 'count', coalesce(${n}.n, 0), 'imprecise', coalesce(${i}.n, 0))
      ORDER BY ${b}.start), '[]') AS result
    FROM generate_series(${lo}, ${hi} - ${st}, ${st}) AS ${b}(start)
    LEFT JOIN precise ${n} ON ${n}.k = ${b}.start
    ${imprecision}`);
}

interface Range {
  u: Sql;
  lo: Sql;
  hi: Sql;
}

/** `precise`: (k = bucket start, n) rows; `imprecise`: (occurred_on, precision, n) rows of coarse events, for EVENT_DATE only. */
function counts(q: SqlBuilder, args: TimeSeriesArgs, { u, lo, hi }: Range): { precise: Sql; imprecise?: Sql } {
  const k = q.alias();
  const fromRollup = args.path !== 'scan' && rollupFilters(args.filter);
  if (args.of === TimeField.EVENT_DATE) {
    kindsFor(args.of, ['EVENT'], args.kinds, args.filter);
    // (occurred_on, precision, n) of the events counted: rollup rows by day and precision, or the events themselves.
    const [a, e] = [q.alias(), q.alias()];
    const rows = fromRollup
      ? sql`SELECT split_part(${a}.value, ' ', 1)::date AS occurred_on, split_part(${a}.value, ' ', 2) AS precision, ${a}.n
          FROM (${rollupRows(q, 'EVENT_DATE', ['EVENT'], args.filter)}) ${a}`
      : sql`SELECT ${a}.occurred_on, ${a}.precision::text AS precision, 1 AS n FROM event ${a} WHERE ${listed('EVENT', a, q, args.filter)}`;
    const events = (precisions: Sql) => sql`FROM (${rows}) ${e} WHERE ${e}.precision = ANY(${precisions}) AND ${e}.occurred_on < ${hi}`;
    const fine = PRECISE[args.interval];
    const coarse = ['DAY', 'MONTH', 'YEAR'].filter((p) => !fine.includes(p));
    return {
      precise: sql`SELECT date_trunc(${u}, ${e}.occurred_on::timestamp) AS k, sum(${e}.n)::int AS n ${events(sql.value(fine, 'text[]'))}
        AND ${e}.occurred_on >= ${lo} GROUP BY 1`,
      imprecise: coarse.length
        ? sql`SELECT ${e}.occurred_on, ${e}.precision, sum(${e}.n)::int AS n ${events(sql.value(coarse, 'text[]'))}
        AND ${and(occurredInSql(e, sql`${lo}::date`, null))} GROUP BY 1, 2`
        : undefined,
    };
  }
  if (args.of === TimeField.REPORT_DATE) {
    const kinds = kindsFor(args.of, allKinds, args.kinds, args.filter);
    if (fromRollup) {
      // Kept per interval: a statement counts once per bucket, however many of its sources were published in it.
      const r = q.alias();
      return {
        precise: sql`SELECT ${r}.value::timestamp AS k, sum(${r}.n)::int AS n FROM (${rollupRows(q, `REPORT_DATE_${args.interval}`, kinds, args.filter)}) ${r}
          WHERE ${r}.value::timestamp >= ${lo} AND ${r}.value::timestamp < ${hi} GROUP BY 1`,
      };
    }
    // A statement counts once in each bucket holding the publication day of one of its visible cited sources.
    const branches = kinds.map((kind) => {
      const [a, c, s] = [q.alias(), q.alias(), q.alias()];
      return sql`SELECT DISTINCT ${a}.id, date_trunc(${u}, ${s}.published_on::timestamp) AS k
        FROM ${sql.identifier(STATEMENT_KINDS[kind].table)} ${a} ${citationJoin(kind, a, c, s, q)}
        WHERE ${listed(kind, a, q, args.filter)} AND ${s}.published_on >= ${lo} AND ${s}.published_on < ${hi}`;
    });
    return { precise: sql`SELECT ${k}.k, count(*)::int AS n FROM (${sql.join(branches, '\nUNION ALL\n')}) ${k} GROUP BY 1` };
  }
  // CHANGE_DATE: changes of statements as the change feed shows them to the reader, by UTC day: counted per day and
  // combination of access keys (change-rollup.ts), or by a scan of the history.
  for (const name of ['actor', 'markingAtMost', 'occurredFrom', 'occurredTo'] as const) {
    if (args.filter?.[name] != null) throw badUserInput(`filter.${name}`, 'CHANGE_DATE is filtered by topic and kinds only');
  }
  const kinds = kindsFor(args.of, allKinds, args.kinds);
  const [c, v] = [q.alias(), q.alias()];
  const tables = kinds.map((kind) => STATEMENT_KINDS[kind].table);
  if (args.path !== 'scan') {
    const r = q.alias();
    return {
      precise: sql`SELECT date_trunc(${u}, ${r}.day::timestamp) AS k, sum(${r}.n)::int AS n FROM (${changeRollupRows(q, tables, lo, hi, args.filter?.topic)}) ${r}
        GROUP BY 1`,
    };
  }
  const conditions = [
    sql`${c}.item_table = ANY(${sql.value(tables, 'text[]')})`,
    sql`${c}.at >= (${lo} AT TIME ZONE 'UTC') AND ${c}.at < (${hi} AT TIME ZONE 'UTC')`,
    ...inTopic(c, q, args.filter?.topic),
    shownTo(q.viewer, c, v),
  ];
  return {
    precise: sql`SELECT date_trunc(${u}, ${c}.at AT TIME ZONE 'UTC') AS k, count(*)::int AS n FROM change ${c} ${visibilityOf(q.viewer, c, v)}
      WHERE ${sql.join(conditions, ' AND ')} GROUP BY 1`,
  };
}

export async function timeSeries(dataSource: DataSource, viewer: Viewer, args: TimeSeriesArgs): Promise<TimeBucket[]> {
  const { text, values } = timeSeriesSql(viewer, args);
  const [row] = await dataSource.query<Array<{ result: TimeBucket[] }>>(text, values);
  return row.result;
}
