import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, Ctx, ID, Info, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../../server/context';
import { Role } from '../identity/role';
import { Citation } from './citation.entity';
import { remarkCitation } from './citation.write';
import { CitationPatch } from './citation.patch-inputs';

@Resolver()
export class CitationResolver {
  @Authorized(Role.ANALYST)
  @Mutation(() => Citation, {
    description:
      'Re-mark a citation you may read (ANALYST). Raising is open to writers of its organisation; lowering it or widening its audience is a release (RELEASER, with a reason), never beyond the readers of its source.',
  })
  async updateCitation(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => CitationPatch) input: CitationPatch,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    await remarkCitation(ctx.dataSource, ctx.viewer, id, input);
    return ctx.reader.byId(info, id, 'id', ['Citation']);
  }
}
