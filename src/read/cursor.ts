import { badUserInput } from '../common/errors';
import { isLocalDate } from '../common/local-date';
import { UUID } from './global-id';
import type { OrderField } from './model';

/** How PostgreSQL writes a timestamptz in JSON: `2024-11-05T10:00:00.123456+00:00` (offsets under 16 h, maybe with seconds). */
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?(Z|[+-](0\d|1[0-5])(:[0-5]\d){0,2})$/;

/** Whether `value` is one PostgreSQL takes for the order field's type: a cursor is client input, checked like any. */
function fitsOrder(value: unknown, order: OrderField): boolean {
  if (order.labels) return order.labels.some((label) => label === value);
  switch (order.cast) {
    case 'text':
      return typeof value === 'string' && !value.includes('\u0000');
    case 'smallint':
      return Number.isInteger(value) && (value as number) >= -32768 && (value as number) <= 32767;
    case 'date':
      // Undated rows sort as -infinity.
      return value === '-infinity' || isLocalDate(value);
    case 'timestamptz': {
      const match = typeof value === 'string' ? TIMESTAMP.exec(value) : null;
      return match !== null && isLocalDate(match[1]);
    }
    default:
      throw new Error(`cursors cannot be checked for SQL type ${order.cast}: give the order field its labels`);
  }
}

/**
 * Cursors carry the sort field, its value and the row id: keyset pagination stays stable under inserts. A cursor
 * that was not made by this connection for ordering `field` is BAD_USER_INPUT on the argument that carried it.
 */
export function decodeCursor(cursor: string, field: string, order: OrderField, argumentName: 'after' | 'before' = 'after'): { value: unknown; id: string } {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  if (!Array.isArray(decoded) || decoded.length !== 3 || typeof decoded[2] !== 'string' || !UUID.test(decoded[2])) {
    throw badUserInput(argumentName, 'not a cursor returned by this connection');
  }
  if (decoded[0] !== field) throw badUserInput(argumentName, `the cursor belongs to an ordering by ${String(decoded[0])}, not ${field}`);
  if (!fitsOrder(decoded[1], order)) throw badUserInput(argumentName, 'not a cursor returned by this connection');
  return { value: decoded[1], id: decoded[2] };
}
