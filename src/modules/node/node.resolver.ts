import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, ID, Info, Query, Resolver } from 'type-graphql';
import { Node } from '../../common/columns';
import type { Context } from '../../server/context';

@Resolver()
export class NodeResolver {
  @Query(() => Node, { description: 'Any object by global id; NOT_FOUND when it does not exist or is above your clearance.' })
  node(@Arg('id', () => ID) id: string, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return ctx.reader.byId(info, id, 'id');
  }
}
