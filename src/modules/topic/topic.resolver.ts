import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, Info, Query, Resolver, Root } from 'type-graphql';
import { compiled } from '../../read/reader';
import type { Context } from '../../server/context';
import { ActorConnectionArgs } from '../actor/actor.inputs';
import { CapabilityConnectionArgs } from '../capability/capability.inputs';
import { ChallengeConnectionArgs } from '../challenge/challenge.inputs';
import { EventConnectionArgs } from '../event/event.inputs';
import { ImplicationConnectionArgs } from '../implication/implication.inputs';
import { RelationConnectionArgs } from '../relation/relation.inputs';
import { SourceConnectionArgs } from '../source/source.inputs';
import {
  ActorConnection,
  CapabilityConnection,
  ChallengeConnection,
  EventConnection,
  ImplicationConnection,
  RelationConnection,
  SourceConnection,
  TopicConnection,
} from '../connections';
import { Topic } from './topic.entity';
import { TopicConnectionArgs } from './topic.inputs';

type Row = Record<string, unknown>;

@Resolver(() => Topic)
export class TopicResolver {
  @Query(() => Topic, { description: 'One topic by slug; NOT_FOUND when it does not exist or is above your clearance.' })
  topic(@Arg('slug') slug: string, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return ctx.reader.one(info, 'Topic', `Topic "${slug}"`, (row, sql) => `${row}.slug = ${sql.param(slug)}`);
  }

  @Query(() => TopicConnection, { description: 'Topics, filtered and paginated.' })
  topics(@Args() args: TopicConnectionArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return ctx.reader.connection(info, 'Topic', args);
  }

  @FieldResolver(() => ActorConnection, { description: 'The actors of this topic.' })
  actors(@Root() root: Row, @Args() _args: ActorConnectionArgs, @Info() info: GraphQLResolveInfo) {
    return compiled(root, info);
  }

  @FieldResolver(() => CapabilityConnection, { description: 'Capabilities stated in this topic.' })
  capabilities(@Root() root: Row, @Args() _args: CapabilityConnectionArgs, @Info() info: GraphQLResolveInfo) {
    return compiled(root, info);
  }

  @FieldResolver(() => ChallengeConnection, { description: 'Challenges stated in this topic.' })
  challenges(@Root() root: Row, @Args() _args: ChallengeConnectionArgs, @Info() info: GraphQLResolveInfo) {
    return compiled(root, info);
  }

  @FieldResolver(() => ImplicationConnection, { description: 'Analytic judgments of this topic.' })
  implications(@Root() root: Row, @Args() _args: ImplicationConnectionArgs, @Info() info: GraphQLResolveInfo) {
    return compiled(root, info);
  }

  @FieldResolver(() => EventConnection, { description: 'Events of this topic: its timeline.' })
  events(@Root() root: Row, @Args() _args: EventConnectionArgs, @Info() info: GraphQLResolveInfo) {
    return compiled(root, info);
  }

  @FieldResolver(() => RelationConnection, { description: 'Relations between actors stated in this topic.' })
  relations(@Root() root: Row, @Args() _args: RelationConnectionArgs, @Info() info: GraphQLResolveInfo) {
    return compiled(root, info);
  }

  @FieldResolver(() => SourceConnection, { description: 'Sources cited by the statements of this topic.' })
  sources(@Root() root: Row, @Args() _args: SourceConnectionArgs, @Info() info: GraphQLResolveInfo) {
    return compiled(root, info);
  }
}
