import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, Info, Query, Resolver } from 'type-graphql';
import { byResponseKey } from '../../read/response-shape';
import type { Context } from '../../server/context';
import { BriefInput } from './brief.inputs';
import { composeFor } from './brief.service';
import { Brief } from './brief.types';

@Resolver()
export class BriefResolver {
  @Query(() => Brief, {
    description: 'Compose a brief for one reader and purpose: scope, sections and clearance in `input`. Bad input is BAD_USER_INPUT naming the field.',
  })
  async brief(@Arg('input', () => BriefInput) input: BriefInput, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    const { brief } = await composeFor(ctx.dataSource, ctx.viewer, input);
    return byResponseKey(info, brief);
  }
}
