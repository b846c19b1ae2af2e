import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Authorized, Ctx, ID, Info, Mutation, Query, Resolver } from 'type-graphql';
import { toGlobalId } from '../../read/global-id';
import { Role } from '../identity/role';
import { Event } from './event.entity';
import { createEvent, deleteEvent, updateEvent } from './event.write';
import { EventInput, EventPatch } from './event.write-inputs';
import type { Context } from '../../server/context';
import { EventConnection } from '../connections';
import { EventConnectionArgs } from './event.inputs';

@Resolver()
export class EventResolver {
  @Query(() => EventConnection, { description: 'Events, in the order they happened; filtered and paginated.' })
  events(@Args() args: EventConnectionArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return ctx.reader.connection(info, 'Event', args);
  }

  @Authorized(Role.ANALYST)
  @Mutation(() => Event, { description: 'Record a event with its sources (ANALYST), all or nothing; bad input is BAD_USER_INPUT naming the field.' })
  async createEvent(@Arg('input', () => EventInput) input: EventInput, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    const id = await createEvent(ctx.dataSource, ctx.viewer, input);
    return ctx.reader.byId(info, toGlobalId('Event', id), 'id', ['Event']);
  }

  @Authorized(Role.ANALYST)
  @Mutation(() => Event, { description: 'Change a event you may see (ANALYST).' })
  async updateEvent(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => EventPatch) input: EventPatch,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    await updateEvent(ctx.dataSource, ctx.viewer, id, input);
    return ctx.reader.byId(info, id, 'id', ['Event']);
  }

  @Authorized(Role.ANALYST)
  @Mutation(() => ID, { description: 'Delete a event you may see, with its citations (ANALYST); returns its id.' })
  deleteEvent(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return deleteEvent(ctx.dataSource, ctx.viewer, id);
  }
}
