import {
  getNamedType,
  getNullableType,
  isListType,
  isObjectType,
  type FieldNode,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLResolveInfo,
} from 'graphql';
import { collectSubfields } from 'graphql/execution/collectFields';

/**
 * Below the root every object is keyed by response key (see `readResponseKey` in server/app.ts). Resolvers that build
 * their result in TypeScript, keyed by field name, pass it through here: it follows the selection set (fragments and
 * aliases included) and renames each field to its response key.
 */
/** Whether the field's own selection asks for `field` (a connection's `totalCount`: counting has a cost of its own). */
export function asksFor(info: GraphQLResolveInfo, field: string): boolean {
  const selected = collectSubfields(info.schema, info.fragments, info.variableValues, getNamedType(info.returnType) as GraphQLObjectType, info.fieldNodes);
  return [...selected.values()].some((nodes) => nodes[0].name.value === field);
}

/** The value an object was shaped from, for field resolvers that need fields the query did not select (its id). */
const SHAPED_FROM = Symbol('shapedFrom');
export const shapedFrom = <T>(value: T): T => ((value as Record<symbol, unknown>)[SHAPED_FROM] as T | undefined) ?? value;

export const byResponseKey = (info: GraphQLResolveInfo, value: unknown) => shape(info, info.returnType, info.fieldNodes, value);

/** `byResponseKey` for a field of an interface type (`node`): shaped as its concrete type, which it names for resolveType. */
export function byResponseKeyAs(info: GraphQLResolveInfo, typeName: string, value: object): object {
  const type = info.schema.getType(typeName);
  if (!isObjectType(type)) throw new Error(`${typeName} is not an object type`);
  return { ...(shape(info, type, info.fieldNodes, value) as object), __typename: typeName };
}

function shape(info: GraphQLResolveInfo, type: GraphQLOutputType, nodes: readonly FieldNode[], value: unknown): unknown {
  if (value === null || value === undefined) return value;
  const nullable = getNullableType(type);
  if (isListType(nullable)) return (value as unknown[]).map((item) => shape(info, nullable.ofType, nodes, item));
  if (!isObjectType(nullable)) return value;
  const source = value as Record<string, unknown>;
  const result: Record<string, unknown> = {};
  Object.defineProperty(result, SHAPED_FROM, { value: source, enumerable: true });
  for (const [key, fieldNodes] of collectSubfields(info.schema, info.fragments, info.variableValues, nullable, nodes)) {
    const name = fieldNodes[0].name.value;
    result[key] = name === '__typename' ? nullable.name : shape(info, nullable.getFields()[name].type, fieldNodes, source[name]);
  }
  return result;
}
