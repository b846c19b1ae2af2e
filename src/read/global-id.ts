import { badUserInput } from '../common/errors';
import { sql, type Sql } from './fragment';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** SQL for the global id of row `alias` of `typeName`: base64 of "Type:uuid", opaque to clients. */
export const globalIdSql = (typeName: string, alias: Sql) =>
  sql`translate(encode(convert_to(${sql.key(typeName)} || ':' || ${alias}.id, 'UTF8'), 'base64'), E'\\n', '')`;

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
