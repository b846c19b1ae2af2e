import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Authorized, Ctx, ID, Info, Mutation, Query, Resolver } from 'type-graphql';
import { toGlobalId } from '../../read/global-id';
import { Role } from '../identity/role';
import type { Context } from '../../server/context';
import { ImplicationConnection } from '../connections';
import { Implication } from './implication.entity';
import { ImplicationConnectionArgs } from './implication.inputs';
import { createImplication, deleteImplication, updateImplication } from './implication.write';
import { ImplicationInput, ImplicationPatch } from './implication.write-inputs';

@Resolver()
export class ImplicationResolver {
  @Query(() => ImplicationConnection, { description: 'Analytic judgments, most likely first; filtered and paginated.' })
  implications(@Args() args: ImplicationConnectionArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return ctx.reader.connection(info, 'Implication', args);
  }

  @Authorized(Role.ANALYST)
  @Mutation(() => Implication, {
    description: 'Record an analytic judgment with its sources (ANALYST). All of it is stored, or nothing; bad input is BAD_USER_INPUT naming the field.',
  })
  async createImplication(@Arg('input', () => ImplicationInput) input: ImplicationInput, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    const id = await createImplication(ctx.dataSource, ctx.viewer, input);
    return ctx.reader.byId(info, toGlobalId('Implication', id), 'id', ['Implication']);
  }

  @Authorized(Role.ANALYST)
  @Mutation(() => Implication, { description: 'Change a judgment you may see (ANALYST).' })
  async updateImplication(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => ImplicationPatch) input: ImplicationPatch,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    await updateImplication(ctx.dataSource, ctx.viewer, id, input);
    return ctx.reader.byId(info, id, 'id', ['Implication']);
  }

  @Authorized(Role.ANALYST)
  @Mutation(() => ID, { description: 'Delete a judgment you may see, with its citations (ANALYST); returns its id.' })
  deleteImplication(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return deleteImplication(ctx.dataSource, ctx.viewer, id);
  }
}
