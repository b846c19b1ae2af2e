import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, Ctx, ID, Info, Mutation, Resolver, type ClassType } from 'type-graphql';
import type { DataSource } from 'typeorm';
import type { Viewer } from '../common/viewer';
import { Role } from '../modules/identity/role';
import { toGlobalId } from '../read/global-id';
import type { TypeSpec } from '../read/model';
import type { Context } from '../server/context';
import { defineMethod } from './define-method';

/** How a statement kind is written: its input types and its create, update and delete services. */
export interface StatementWrites {
  /** The name in mutation names: `create${name}`. */
  name: string;
  /** What one is called in descriptions ("capability", "judgment"). */
  noun: string;
  input: ClassType;
  patch: ClassType;
  create(dataSource: DataSource, viewer: Viewer, input: object): Promise<string>;
  update(dataSource: DataSource, viewer: Viewer, globalId: string, patch: object): Promise<unknown>;
  remove(dataSource: DataSource, viewer: Viewer, globalId: string): Promise<string>;
}

/** `create<Name>`, `update<Name>` and `delete<Name>` for one statement kind (ANALYST), each returning the stored result. */
export function statementMutations(spec: TypeSpec, writes: StatementWrites): ClassType {
  const { typeName, entity } = spec;
  const article = /^[aeiou]/i.test(writes.noun) ? 'an' : 'a';
  @Resolver()
  class Mutations {}
  const read = (ctx: Context, info: GraphQLResolveInfo, globalId: string) => ctx.reader.byId(info, globalId, 'id', [typeName]);

  defineMethod(
    Mutations,
    `create${writes.name}`,
    async (input: object, ctx: Context, info: GraphQLResolveInfo) =>
      read(ctx, info, toGlobalId(typeName, await writes.create(ctx.dataSource, ctx.viewer, input))),
    [Arg('input', () => writes.input), Ctx(), Info()],
    [
      Authorized(Role.ANALYST),
      Mutation(() => entity, {
        description: `Record ${article} ${writes.noun} with its sources (ANALYST). All of it is stored, or nothing; bad input is BAD_USER_INPUT naming the field.`,
      }),
    ],
  );
  defineMethod(
    Mutations,
    `update${writes.name}`,
    async (id: string, patch: object, ctx: Context, info: GraphQLResolveInfo) => {
      await writes.update(ctx.dataSource, ctx.viewer, id, patch);
      return read(ctx, info, id);
    },
    [Arg('id', () => ID), Arg('input', () => writes.patch), Ctx(), Info()],
    [Authorized(Role.ANALYST), Mutation(() => entity, { description: `Change ${article} ${writes.noun} you may see (ANALYST).` })],
  );
  defineMethod(
    Mutations,
    `delete${writes.name}`,
    (id: string, ctx: Context) => writes.remove(ctx.dataSource, ctx.viewer, id),
    [Arg('id', () => ID), Ctx()],
    [
      Authorized(Role.ANALYST),
      Mutation(() => ID, { description: `Delete ${article} ${writes.noun} you may see, with its citations (ANALYST); returns its id.` }),
    ],
  );
  Object.defineProperty(Mutations, 'name', { value: `${typeName}Mutations` });
  return Mutations;
}
