import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, Ctx, ID, Info, Mutation, Resolver } from 'type-graphql';
import { toGlobalId } from '../../read/global-id';
import { commentArg, versionArg } from '../../registry/item-mutations';
import type { Context } from '../../server/context';
import { Role } from '../identity/role';
import { Citation } from './citation.entity';
import { addCitation, remarkCitation, removeCitation, restoreCitation } from './citation.write';
import { CitationPatch } from './citation.patch-inputs';
import { CitationInput } from './citation.write-inputs';

@Resolver()
export class CitationResolver {
  @Authorized(Role.ANALYST)
  @Mutation(() => Citation, {
    description:
      'Cite one more source for a statement you may see (ANALYST): a corroborating or denying report that came later. Marked like a new statement’s citation: like the statement, or like its source when that is higher, never read by more people than its source.',
  })
  async addCitation(
    @Arg('statement', () => ID, { description: 'The statement it supports (or denies).' }) statement: string,
    @Arg('input', () => CitationInput) input: CitationInput,
    @commentArg() _comment: string | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    const id = await addCitation(ctx.dataSource, ctx.viewer, statement, input);
    return ctx.reader.byId(info, toGlobalId('Citation', id), 'id', ['Citation']);
  }

  @Authorized(Role.ANALYST)
  @Mutation(() => Citation, {
    description:
      'Take a citation you may see off its statement (ANALYST): it is retracted with your reason and stays readable by id. A statement keeps at least one citation (CONFLICT), and keeps resting on sources all of its readers may read.',
  })
  async removeCitation(
    @Arg('id', () => ID) id: string,
    @versionArg() version: number | null,
    @Arg('reason', () => String, { description: 'Why it goes; shown with it.' }) reason: string,
    @commentArg() _comment: string | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    await removeCitation(ctx.dataSource, ctx.viewer, id, { version, reason });
    return ctx.reader.byId(info, id, 'id', ['Citation']);
  }

  @Authorized(Role.ANALYST)
  @Mutation(() => Citation, {
    description:
      'Put a removed citation you may see back on its statement (ANALYST), which must stand, as must its source; the statement keeps resting on sources all of its readers may read.',
  })
  async restoreCitation(
    @Arg('id', () => ID) id: string,
    @versionArg() version: number | null,
    @commentArg() _comment: string | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    await restoreCitation(ctx.dataSource, ctx.viewer, id, version);
    return ctx.reader.byId(info, id, 'id', ['Citation']);
  }

  @Authorized(Role.ANALYST)
  @Mutation(() => Citation, {
    description:
      'Re-mark a citation you may read (ANALYST), or name the original its words pass on (`relayedFrom`). Raising is open to writers of its organisation; lowering it or widening its audience is a release (RELEASER, with a reason), never beyond the readers of its source.',
  })
  async updateCitation(
    @Arg('id', () => ID) id: string,
    @versionArg() version: number | null,
    @Arg('input', () => CitationPatch) input: CitationPatch,
    @commentArg() _comment: string | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    await remarkCitation(ctx.dataSource, ctx.viewer, id, input, version);
    return ctx.reader.byId(info, id, 'id', ['Citation']);
  }
}
