import type { GraphQLResolveInfo } from 'graphql';
import { Args, Ctx, Info, Query, Resolver } from 'type-graphql';
import type { Context } from '../../server/context';
import { ChallengeConnection } from '../connections';
import { ChallengeConnectionArgs } from './challenge.inputs';

@Resolver()
export class ChallengeResolver {
  @Query(() => ChallengeConnection, { description: 'Challenges, each a thing that holds an actor back; filtered and paginated.' })
  challenges(@Args() args: ChallengeConnectionArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return ctx.reader.connection(info, 'Challenge', args);
  }
}
