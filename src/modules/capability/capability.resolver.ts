import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Authorized, Ctx, ID, Info, Mutation, Query, Resolver } from 'type-graphql';
import { toGlobalId } from '../../read/global-id';
import { createActorStatement, deleteActorStatement, updateActorStatement } from '../assertion/actor-statement.write';
import { Role } from '../identity/role';
import { Capability } from './capability.entity';
import { CapabilityInput, CapabilityPatch } from './capability.write-inputs';
import type { Context } from '../../server/context';
import { CapabilityConnection } from '../connections';
import { CapabilityConnectionArgs } from './capability.inputs';

const KIND = { table: 'capability', typeName: 'Capability' } as const;

@Resolver()
export class CapabilityResolver {
  @Query(() => CapabilityConnection, { description: 'Capabilities, each a thing an actor can do or has; filtered and paginated.' })
  capabilities(@Args() args: CapabilityConnectionArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return ctx.reader.connection(info, 'Capability', args);
  }

  @Authorized(Role.ANALYST)
  @Mutation(() => Capability, { description: 'Record a capability with its sources (ANALYST), all or nothing; bad input is BAD_USER_INPUT naming the field.' })
  async createCapability(@Arg('input', () => CapabilityInput) input: CapabilityInput, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    const id = await createActorStatement(ctx.dataSource, ctx.viewer, KIND, input);
    return ctx.reader.byId(info, toGlobalId('Capability', id), 'id', ['Capability']);
  }

  @Authorized(Role.ANALYST)
  @Mutation(() => Capability, { description: 'Change a capability you may see (ANALYST).' })
  async updateCapability(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => CapabilityPatch) input: CapabilityPatch,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    await updateActorStatement(ctx.dataSource, ctx.viewer, KIND, id, input);
    return ctx.reader.byId(info, id, 'id', ['Capability']);
  }

  @Authorized(Role.ANALYST)
  @Mutation(() => ID, { description: 'Delete a capability you may see, with its citations (ANALYST); returns its id.' })
  deleteCapability(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return deleteActorStatement(ctx.dataSource, ctx.viewer, KIND, id);
  }
}
