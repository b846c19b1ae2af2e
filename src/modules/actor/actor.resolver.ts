import type { GraphQLResolveInfo } from 'graphql';
import { Args, Ctx, FieldResolver, ID, Info, Query, Resolver, Root } from 'type-graphql';
import { Arg } from 'type-graphql';
import { compiled } from '../../read/reader';
import type { Context } from '../../server/context';
import { Actor } from './actor.entity';
import { ActorConnectionArgs } from './actor.inputs';
import { ActorConnection, CapabilityConnection, ChallengeConnection, EventConnection, ImplicationConnection, RelationConnection, SourceConnection, TopicConnection } from '../connections';
import { CapabilityConnectionArgs } from '../capability/capability.inputs';
import { ChallengeConnectionArgs } from '../challenge/challenge.inputs';
import { ImplicationConnectionArgs } from '../implication/implication.inputs';
import { EventConnectionArgs } from '../event/event.inputs';
import { RelationConnectionArgs } from '../relation/relation.inputs';
import { SourceConnectionArgs } from '../source/source.inputs';
import { TopicConnectionArgs } from '../topic/topic.inputs';

type Row = Record<string, unknown>;

@Resolver(() => Actor)
export class ActorResolver {
  @Query(() => Actor, { description: 'One actor by id; NOT_FOUND when it does not exist or is above your clearance.' })
  actor(@Arg('id', () => ID) id: string, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return ctx.reader.byId(info, id, 'id', ['Actor']);
  }

  @Query(() => ActorConnection, { description: 'Actors, filtered and paginated.' })
  actors(@Args() args: ActorConnectionArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return ctx.reader.connection(info, 'Actor', args);
  }

  @FieldResolver(() => ActorConnection, { description: 'Actors that are part of this one (units of an army, agencies of a ministry).' })
  parts(@Root() root: Row, @Args() _args: ActorConnectionArgs, @Info() info: GraphQLResolveInfo) {
    return compiled(root, info);
  }

  @FieldResolver(() => TopicConnection, { description: 'Topics this actor takes part in.' })
  topics(@Root() root: Row, @Args() _args: TopicConnectionArgs, @Info() info: GraphQLResolveInfo) {
    return compiled(root, info);
  }

  @FieldResolver(() => CapabilityConnection, { description: 'What this actor can do or has.' })
  capabilities(@Root() root: Row, @Args() _args: CapabilityConnectionArgs, @Info() info: GraphQLResolveInfo) {
    return compiled(root, info);
  }

  @FieldResolver(() => ChallengeConnection, { description: 'What holds this actor back.' })
  challenges(@Root() root: Row, @Args() _args: ChallengeConnectionArgs, @Info() info: GraphQLResolveInfo) {
    return compiled(root, info);
  }

  @FieldResolver(() => ImplicationConnection, { description: 'Judgments that bear on this actor.' })
  implications(@Root() root: Row, @Args() _args: ImplicationConnectionArgs, @Info() info: GraphQLResolveInfo) {
    return compiled(root, info);
  }

  @FieldResolver(() => EventConnection, { description: 'Events this actor was involved in.' })
  events(@Root() root: Row, @Args() _args: EventConnectionArgs, @Info() info: GraphQLResolveInfo) {
    return compiled(root, info);
  }

  @FieldResolver(() => RelationConnection, { description: 'Relations in which this actor is either side.' })
  relations(@Root() root: Row, @Args() _args: RelationConnectionArgs, @Info() info: GraphQLResolveInfo) {
    return compiled(root, info);
  }

  @FieldResolver(() => SourceConnection, { description: 'Sources this actor published.' })
  publishedSources(@Root() root: Row, @Args() _args: SourceConnectionArgs, @Info() info: GraphQLResolveInfo) {
    return compiled(root, info);
  }
}
