import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Authorized, Ctx, ID, Info, Mutation, Query, Resolver } from 'type-graphql';
import { toGlobalId } from '../../read/global-id';
import { Role } from '../identity/role';
import { ActorRelation } from './relation.entity';
import { createRelation, deleteRelation, updateRelation } from './relation.write';
import { ActorRelationInput, ActorRelationPatch } from './relation.write-inputs';
import type { Context } from '../../server/context';
import { RelationConnection } from '../connections';
import { RelationConnectionArgs } from './relation.inputs';

@Resolver()
export class ActorRelationResolver {
  @Query(() => RelationConnection, { description: 'Relations between actors; filtered and paginated.' })
  relations(@Args() args: RelationConnectionArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return ctx.reader.connection(info, 'ActorRelation', args);
  }

  @Authorized(Role.ANALYST)
  @Mutation(() => ActorRelation, { description: 'Record a relation between actors with its sources (ANALYST), all or nothing; bad input is BAD_USER_INPUT naming the field.' })
  async createRelation(@Arg('input', () => ActorRelationInput) input: ActorRelationInput, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    const id = await createRelation(ctx.dataSource, ctx.viewer, input);
    return ctx.reader.byId(info, toGlobalId('ActorRelation', id), 'id', ['ActorRelation']);
  }

  @Authorized(Role.ANALYST)
  @Mutation(() => ActorRelation, { description: 'Change a relation you may see (ANALYST).' })
  async updateRelation(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => ActorRelationPatch) input: ActorRelationPatch,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    await updateRelation(ctx.dataSource, ctx.viewer, id, input);
    return ctx.reader.byId(info, id, 'id', ['ActorRelation']);
  }

  @Authorized(Role.ANALYST)
  @Mutation(() => ID, { description: 'Delete a relation you may see, with its citations (ANALYST); returns its id.' })
  deleteRelation(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return deleteRelation(ctx.dataSource, ctx.viewer, id);
  }
}
