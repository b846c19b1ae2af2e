import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Query, Resolver, Root } from 'type-graphql';
import type { ClassType } from 'type-graphql';
import { compiled } from '../read/reader';
import type { TypeSpec } from '../read/model';
import type { Context } from '../server/context';
import { defineMethod } from './define-method';
import { derivedTypesOf } from './graphql-types';

/** `type(id:)` and `types(filter:, orderBy:, first:, after:)` for a type that declares root fields. */
function rootResolver(spec: TypeSpec): ClassType | undefined {
  if (!spec.root) return undefined;
  @Resolver()
  class RootFields {}
  const { byId, list } = spec.root;
  if (byId) {
    const read = (id: string, ctx: Context, info: GraphQLResolveInfo) => ctx.reader.byId(info, id, 'id', [spec.typeName]);
    defineMethod(
      RootFields,
      byId.name,
      read,
      [Arg('id', () => ID), Ctx(), Info()],
      Query(() => spec.entity, { description: byId.description }),
    );
  }
  if (list) {
    const { connection, args } = derivedTypesOf(spec);
    const read = (a: object, ctx: Context, info: GraphQLResolveInfo) => ctx.reader.connection(info, spec.typeName, a);
    defineMethod(
      RootFields,
      list.name,
      read,
      [Args(() => args), Ctx(), Info()],
      Query(() => connection, { description: list.description }),
    );
  }
  Object.defineProperty(RootFields, 'name', { value: `${spec.typeName}RootFields` });
  return RootFields;
}

/**
 * The connection fields of a type, with their arguments (filter, orderBy, first, after) derived from the target type.
 * They only declare the fields: the compiled root statement has already read their values.
 */
function connectionFieldsResolver(spec: TypeSpec, registry: ReadonlyMap<string, TypeSpec>): ClassType | undefined {
  const connections = Object.entries(spec.fields).flatMap(([name, field]) => (field.kind === 'connection' ? [{ name, field }] : []));
  if (!connections.length) return undefined;
  @Resolver(() => spec.entity)
  class ConnectionFields {}
  for (const { name, field } of connections) {
    const target = registry.get(field.target);
    if (!target) throw new Error(`${spec.typeName}.${name} lists ${field.target}, which is not registered`);
    const { connection, args } = derivedTypesOf(target);
    const read = (root: Record<string, unknown>, _args: object, info: GraphQLResolveInfo) => compiled(root, info);
    defineMethod(
      ConnectionFields,
      name,
      read,
      [Root(), Args(() => args), Info()],
      FieldResolver(() => connection, { description: field.description }),
    );
  }
  Object.defineProperty(ConnectionFields, 'name', { value: `${spec.typeName}ConnectionFields` });
  return ConnectionFields;
}

/** Every resolver class derived from the registry. */
export function registryResolvers(registry: ReadonlyMap<string, TypeSpec>): ClassType[] {
  return [...registry.values()].flatMap((spec) => [rootResolver(spec), connectionFieldsResolver(spec, registry)].filter((r) => r !== undefined));
}
