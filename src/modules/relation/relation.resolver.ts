import type { GraphQLResolveInfo } from 'graphql';
import { Args, Ctx, Info, Query, Resolver } from 'type-graphql';
import type { Context } from '../../server/context';
import { RelationConnection } from '../connections';
import { RelationConnectionArgs } from './relation.inputs';

@Resolver()
export class ActorRelationResolver {
  @Query(() => RelationConnection, { description: 'Relations between actors; filtered and paginated.' })
  relations(@Args() args: RelationConnectionArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return ctx.reader.connection(info, 'ActorRelation', args);
  }
}
