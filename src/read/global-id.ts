import { badUserInput } from '../common/errors';
import { sql, type Sql } from './fragment';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** PostgreSQL's base64 ends a line after 76 characters (57 bytes), even the last one: fewer bytes need no break removed. */
const LINE_BYTES = 57;

/**
 * SQL for the global id of row `alias` of `typeName`: base64 of "Type:uuid", opaque to clients. "Type:" and a uuid fit
 * within one base64 line for every type name up to 19 characters, so no line break needs removing: the bench brief's
 * statement, which writes hundreds of ids, took a fifth less time without translate().
 */
export const globalIdSql = (typeName: string, alias: Sql) => {
  const encoded = sql`encode(convert_to(${sql.key(typeName)} || ':' || ${alias}.id, 'UTF8'), 'base64')`;
  return typeName.length + 1 + 36 < LINE_BYTES ? encoded : sql`translate(${encoded}, E'\\n', '')`;
};

export const toGlobalId = (typeName: string, id: string) => Buffer.from(`${typeName}:${id}`).toString('base64');

/** Decodes a global id; a malformed one is BAD_USER_INPUT naming the argument. */
export function fromGlobalId(globalId: string, argumentName: string, expectedTypes?: string[]): { typeName: string; id: string } {
  const [typeName, id] = Buffer.from(globalId, 'base64').toString('utf8').split(':');
  if (!typeName || !id || !UUID.test(id) || toGlobalId(typeName, id) !== globalId) {
    throw badUserInput(argumentName, `"${globalId}" is not a Dossier id`);
  }
  if (expectedTypes && !expectedTypes.includes(typeName)) {
    throw badUserInput(argumentName, `"${globalId}" is the id of a ${typeName}, expected ${expectedTypes.join(' or ')}`);
  }
  return { typeName, id };
}
