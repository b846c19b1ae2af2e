import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Authorized, Ctx, ID, Info, Mutation, Query, Resolver } from 'type-graphql';
import { toGlobalId } from '../../read/global-id';
import { createActorStatement, deleteActorStatement, updateActorStatement } from '../assertion/actor-statement.write';
import { Role } from '../identity/role';
import { Challenge } from './challenge.entity';
import { ChallengeInput, ChallengePatch } from './challenge.write-inputs';
import type { Context } from '../../server/context';
import { ChallengeConnection } from '../connections';
import { ChallengeConnectionArgs } from './challenge.inputs';

const KIND = { table: 'challenge', typeName: 'Challenge' } as const;

@Resolver()
export class ChallengeResolver {
  @Query(() => ChallengeConnection, { description: 'Challenges, each a thing that holds an actor back; filtered and paginated.' })
  challenges(@Args() args: ChallengeConnectionArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return ctx.reader.connection(info, 'Challenge', args);
  }

  @Authorized(Role.ANALYST)
  @Mutation(() => Challenge, { description: 'Record a challenge with its sources (ANALYST), all or nothing; bad input is BAD_USER_INPUT naming the field.' })
  async createChallenge(@Arg('input', () => ChallengeInput) input: ChallengeInput, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    const id = await createActorStatement(ctx.dataSource, ctx.viewer, KIND, input);
    return ctx.reader.byId(info, toGlobalId('Challenge', id), 'id', ['Challenge']);
  }

  @Authorized(Role.ANALYST)
  @Mutation(() => Challenge, { description: 'Change a challenge you may see (ANALYST).' })
  async updateChallenge(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => ChallengePatch) input: ChallengePatch,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    await updateActorStatement(ctx.dataSource, ctx.viewer, KIND, id, input);
    return ctx.reader.byId(info, id, 'id', ['Challenge']);
  }

  @Authorized(Role.ANALYST)
  @Mutation(() => ID, { description: 'Delete a challenge you may see, with its citations (ANALYST); returns its id.' })
  deleteChallenge(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return deleteActorStatement(ctx.dataSource, ctx.viewer, KIND, id);
  }
}
