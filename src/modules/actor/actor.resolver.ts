import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, Ctx, ID, Info, Mutation, Resolver } from 'type-graphql';
import { commentArg } from '../../registry/item-mutations';
import type { Context } from '../../server/context';
import { Role } from '../identity/role';
import { Actor } from './actor.entity';
import { mergeActors } from './actor.merge';

@Resolver()
export class ActorResolver {
  @Authorized(Role.ADMIN)
  @Mutation(() => Actor, {
    description:
      'Make two records of one actor one (ADMIN): everything that points at `from` points at `into`, which takes its names and identifiers; `from` is retracted, superseded by `into`. Refused when `into` may be read by anyone who may not read `from`. Returns `into`.',
  })
  async mergeActors(
    @Arg('into', () => ID, { description: 'The actor that stays.' }) into: string,
    @Arg('from', () => ID, { description: 'The duplicate, merged into it.' }) from: string,
    @commentArg() _comment: string | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    await mergeActors(ctx.dataSource, ctx.viewer, into, from);
    return ctx.reader.byId(info, into, 'into', ['Actor']);
  }
}
