import type { GraphQLResolveInfo } from 'graphql';
import { Args, Ctx, Info, Query, Resolver } from 'type-graphql';
import type { Context } from '../../server/context';
import { ImplicationConnection } from '../connections';
import { ImplicationConnectionArgs } from './implication.inputs';

@Resolver()
export class ImplicationResolver {
  @Query(() => ImplicationConnection, { description: 'Analytic judgments, most likely first; filtered and paginated.' })
  implications(@Args() args: ImplicationConnectionArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return ctx.reader.connection(info, 'Implication', args);
  }
}
