import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import { Arg, ID, Info, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { ErrorCode } from '../../common/errors';
import { byResponseKey } from '../../read/response-shape';
import type { Context } from '../../server/context';
import { runView } from '../brief-run/brief-run.resolver';
import { BriefRun } from '../brief-run/brief-run.entity';
import { Change, ChangeFilter } from '../history/change.type';

type Subscribe<A> = SubscribeResolverData<unknown, A, Context>;

/** The hub and session of a WebSocket operation; subscriptions are served over WebSocket only (graphql-ws). */
function liveOf(context: Context) {
  if (!context.live)
    throw new GraphQLError('Subscriptions are served over WebSocket (graphql-ws) at /graphql.', { extensions: { code: ErrorCode.BAD_REQUEST } });
  return context.live;
}

@Resolver()
export class LiveResolver {
  @Subscription(() => Change, {
    description:
      'Each change you may see, as it is committed, by any instance: the entries `changes` would list, with the same filter and the same markings, applied when each is read for you, right after it is committed (an item re-marked beyond you comes once as HIDDEN, one released to you as REVEALED). Keep the last `cursor`: after a reconnection, `changes(after:)` gives what was missed.',
    subscribe: ({ args, context }: Subscribe<{ filter?: ChangeFilter | null }>) => {
      const live = liveOf(context);
      return live.hub.changes(live.session, args.filter ?? null);
    },
  })
  changes(@Arg('filter', () => ChangeFilter, { nullable: true }) _filter: ChangeFilter | null, @Root() change: Change, @Info() info: GraphQLResolveInfo) {
    return byResponseKey(info, change);
  }

  @Subscription(() => BriefRun, {
    description:
      'Each run of a brief definition you may read as it finishes, well or not (SUCCEEDED or FAILED); NOT_FOUND when you may not read the definition. A run you may not read (its contents marked beyond you now) is not delivered.',
    subscribe: ({ args, context }: Subscribe<{ definition: string }>) => {
      const live = liveOf(context);
      return live.hub.briefRunFinished(live.session, args.definition);
    },
  })
  briefRunFinished(@Arg('definition', () => ID) _definition: string, @Root() run: BriefRun, @Info() info: GraphQLResolveInfo) {
    return byResponseKey(info, runView(run));
  }
}
