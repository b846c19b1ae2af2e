import type { GraphQLResolveInfo } from 'graphql';
import { Args, Ctx, Info, Query, Resolver } from 'type-graphql';
import type { Context } from '../../server/context';
import { EventConnection } from '../connections';
import { EventConnectionArgs } from './event.inputs';

@Resolver()
export class EventResolver {
  @Query(() => EventConnection, { description: 'Events, in the order they happened; filtered and paginated.' })
  events(@Args() args: EventConnectionArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return ctx.reader.connection(info, 'Event', args);
  }
}
