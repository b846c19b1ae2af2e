import type { GraphQLResolveInfo } from 'graphql';
import { Args, Ctx, Info, Query, Resolver } from 'type-graphql';
import type { Context } from '../../server/context';
import { CapabilityConnection } from '../connections';
import { CapabilityConnectionArgs } from './capability.inputs';

@Resolver()
export class CapabilityResolver {
  @Query(() => CapabilityConnection, { description: 'Capabilities, each a thing an actor can do or has; filtered and paginated.' })
  capabilities(@Args() args: CapabilityConnectionArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return ctx.reader.connection(info, 'Capability', args);
  }
}
