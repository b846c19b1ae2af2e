import { GraphQLScalarType, Kind } from 'graphql';

const YEAR_MONTH_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

const daysInMonth = (year: number, month: number) =>
  month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;

/**
 * Whether `value` is a calendar day `YYYY-MM-DD` that PostgreSQL can store as a date: a real day of years 1 to 9999
 * (PostgreSQL has no year 0; 1 BC comes right before AD 1).
 */
export function isLocalDate(value: unknown): value is string {
  const match = typeof value === 'string' ? YEAR_MONTH_DAY.exec(value) : null;
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number);
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

// A plain Error, not a GraphQLError: graphql-js then adds where the value was (variable, input field path).
function checked(value: unknown): string {
  if (!isLocalDate(value)) throw new TypeError(`${JSON.stringify(value)} is not a day from 0001-01-01 to 9999-12-31 (YYYY-MM-DD)`);
  return value;
}

/** A day without a time zone, checked so that every value reaching the database is one it can hold. */
export const LocalDate = new GraphQLScalarType({
  name: 'LocalDate',
  description: 'A day without a time zone, `YYYY-MM-DD` from `0001-01-01` to `9999-12-31`, e.g. `2020-01-01`.',
  serialize: checked,
  parseValue: checked,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new TypeError('a LocalDate is written as a string, "YYYY-MM-DD"');
    return checked(ast.value);
  },
});
