import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, Ctx, ID, Info, Int, Mutation, Resolver, type ClassType } from 'type-graphql';
import type { DataSource } from 'typeorm';
import type { Viewer } from '../common/viewer';
import { Role } from '../modules/identity/role';
import { restoreItem, retractItem, type Dependent } from '../modules/item/retraction';
import { toGlobalId } from '../read/global-id';
import type { TypeSpec } from '../read/model';
import type { Context } from '../server/context';
import { defineMethod } from './define-method';

/** How a type is written: its input types and services. Retraction and restoring are the same for every type. */
export interface ItemWrites {
  /** The name in mutation names: `create${name}`. */
  name: string;
  /** What one is called in descriptions ("capability", "judgment"). */
  noun: string;
  input: ClassType;
  patch: ClassType;
  /** Stores a new one; returns its uuid (or that of the existing one it stands for). */
  create(dataSource: DataSource, viewer: Viewer, input: object): Promise<string>;
  update(dataSource: DataSource, viewer: Viewer, globalId: string, patch: object, version: number | null | undefined): Promise<unknown>;
  /** What rests on one of these: its retraction waits until none of it stands. */
  dependents?: Dependent[];
  /** Hard deletion (ADMIN), where a type keeps it. */
  remove?: (dataSource: DataSource, viewer: Viewer, globalId: string) => Promise<string>;
}

/** Why a change is made; kept with it in the history of the item. */
export const commentArg = () => Arg('comment', () => String, { nullable: true, description: 'Why: kept with the change in the history of the item.' });
/** The version the writer read: a change of an item that has moved on since is CONFLICT and changes nothing. */
export const versionArg = () =>
  Arg('version', () => Int, { nullable: true, description: 'The version you read: when the item has changed since, CONFLICT, and nothing changes.' });

/**
 * `create<Name>`, `update<Name>`, `retract<Name>` and `restore<Name>` for one type (ANALYST), and `delete<Name>`
 * (ADMIN) where the type keeps hard deletion; each returns the stored result as the writer may read it.
 */
export function itemMutations(spec: TypeSpec, writes: ItemWrites): ClassType {
  const { typeName, entity, table } = spec;
  const article = /^[aeiou]/i.test(writes.noun) ? 'an' : 'a';
  const target = (globalId: string) => ({ table, typeName, globalId });
  @Resolver()
  class Mutations {}
  const read = (ctx: Context, info: GraphQLResolveInfo, globalId: string) => ctx.reader.byId(info, globalId, 'id', [typeName]);

  defineMethod(
    Mutations,
    `create${writes.name}`,
    async (input: object, _comment: unknown, ctx: Context, info: GraphQLResolveInfo) =>
      read(ctx, info, toGlobalId(typeName, await writes.create(ctx.dataSource, ctx.viewer, input))),
    [Arg('input', () => writes.input), commentArg(), Ctx(), Info()],
    [
      Authorized(Role.ANALYST),
      Mutation(() => entity, {
        description: `Record ${article} ${writes.noun} (ANALYST). All of it is stored, or nothing; bad input is BAD_USER_INPUT naming the field, a reference to anything you may not see NOT_FOUND.`,
      }),
    ],
  );
  defineMethod(
    Mutations,
    `update${writes.name}`,
    async (id: string, version: number | null, patch: object, _comment: unknown, ctx: Context, info: GraphQLResolveInfo) => {
      await writes.update(ctx.dataSource, ctx.viewer, id, patch, version);
      return read(ctx, info, id);
    },
    [Arg('id', () => ID), versionArg(), Arg('input', () => writes.patch), commentArg(), Ctx(), Info()],
    [Authorized(Role.ANALYST), Mutation(() => entity, { description: `Change ${article} ${writes.noun} you may see (ANALYST).` })],
  );
  defineMethod(
    Mutations,
    `retract${writes.name}`,
    async (id: string, version: number | null, reason: string, supersededBy: string | null, _comment: unknown, ctx: Context, info: GraphQLResolveInfo) => {
      await retractItem(ctx.dataSource, ctx.viewer, target(id), { version, reason, supersededBy }, writes.dependents);
      return read(ctx, info, id);
    },
    [
      Arg('id', () => ID),
      versionArg(),
      Arg('reason', () => String, { description: 'Why it is withdrawn; shown with it.' }),
      Arg('supersededBy', () => ID, { nullable: true, description: `The ${typeName} that replaces it.` }),
      commentArg(),
      Ctx(),
      Info(),
    ],
    [
      Authorized(Role.ANALYST),
      Mutation(() => entity, {
        description: `Withdraw ${article} ${writes.noun} you may see (ANALYST): it leaves lists, counts and briefs, and stays readable by id with its reason.${
          writes.dependents?.length ? ` CONFLICT while ${writes.dependents.map((d) => d.plural).join(', ')} you may see still stand on it.` : ''
        }`,
      }),
    ],
  );
  defineMethod(
    Mutations,
    `restore${writes.name}`,
    async (id: string, version: number | null, _comment: unknown, ctx: Context, info: GraphQLResolveInfo) => {
      await restoreItem(ctx.dataSource, ctx.viewer, target(id), version);
      return read(ctx, info, id);
    },
    [Arg('id', () => ID), versionArg(), commentArg(), Ctx(), Info()],
    [Authorized(Role.ANALYST), Mutation(() => entity, { description: `Undo the retraction of ${article} ${writes.noun} you may see (ANALYST).` })],
  );
  const remove = writes.remove;
  if (remove) {
    defineMethod(
      Mutations,
      `delete${writes.name}`,
      (id: string, _comment: unknown, ctx: Context) => remove(ctx.dataSource, ctx.viewer, id),
      [Arg('id', () => ID), commentArg(), Ctx()],
      [
        Authorized(Role.ADMIN),
        Mutation(() => ID, {
          description: `Delete ${article} ${writes.noun} you may see for good, with its citations (ADMIN): for what must not be kept. Otherwise retract it. Returns its id.`,
        }),
      ],
    );
  }
  Object.defineProperty(Mutations, 'name', { value: `${typeName}Mutations` });
  return Mutations;
}
