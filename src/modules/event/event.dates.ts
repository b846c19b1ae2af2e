/**
 * An event's date is an interval, the one rule every reader of it follows (lists, filters, briefs, deltas, time series):
 *   - DAY 2024-11-03 is [2024-11-03, 2024-11-03], MONTH 2024-08-01 is [2024-08-01, 2024-08-31], YEAR 2024-01-01 is [2024-01-01, 2024-12-31].
 *   - In a window [from, to] when the interval overlaps it: the event may have happened then (its precision says how surely).
 *   - Ordered by the interval's end, then the narrower interval first: "during 2024" comes after every dated event of 2024,
 *     never before, since it is only known to have happened by the end of the year.
 */
import { sql, type Sql } from '../../read/fragment';

export type Precision = 'DAY' | 'MONTH' | 'YEAR';

const RANK: Record<Precision, number> = { DAY: 0, MONTH: 1, YEAR: 2 };

/** Last day of the interval, in SQL. */
export const occurredEndSql = (x: Sql): Sql =>
  sql`(${x}.occurred_on + CASE ${x}.precision WHEN 'DAY' THEN interval '0 day' WHEN 'MONTH' THEN interval '1 month - 1 day'
    ELSE interval '1 year - 1 day' END)::date`;

/** The interval overlaps [from, to] (either bound may be absent). */
export const occurredInSql = (x: Sql, from: Sql | null, to: Sql | null): Sql[] => [
  ...(to ? [sql`${x}.occurred_on <= ${to}`] : []),
  ...(from ? [sql`${occurredEndSql(x)} >= ${from}`] : []),
];

/**
 * The sort key of the rule, one timestamptz a keyset cursor carries: the end day at midnight UTC, plus an hour per step
 * of imprecision (MONTH 1, YEAR 2), so that on the same end day the narrower date comes first.
 */
export const occurredOrderSql = (x: Sql): Sql =>
  sql`((${x}.occurred_on + CASE ${x}.precision WHEN 'DAY' THEN interval '0 day' WHEN 'MONTH' THEN interval '1 month - 1 day 1 hour'
    ELSE interval '1 year - 1 day 2 hours' END) AT TIME ZONE 'UTC')`;

const iso = (d: Date) => d.toISOString().slice(0, 10);

/** The interval [from, to] (both days included) of a date at its precision. */
export function occurredInterval(occurredOn: string, precision: Precision): { from: string; to: string } {
  const [year, month] = occurredOn.split('-').map(Number);
  if (precision === 'YEAR') return { from: occurredOn, to: `${year}-12-31` };
  if (precision === 'MONTH') return { from: occurredOn, to: iso(new Date(Date.UTC(year, month, 0))) };
  return { from: occurredOn, to: occurredOn };
}

/** The rule's order in TypeScript, the same as `occurredOrderSql`. */
export function compareOccurred(a: { occurredOn: string; precision: Precision }, b: { occurredOn: string; precision: Precision }): number {
  const [x, y] = [occurredInterval(a.occurredOn, a.precision).to, occurredInterval(b.occurredOn, b.precision).to];
  return (x < y ? -1 : x > y ? 1 : 0) || RANK[a.precision] - RANK[b.precision];
}
