import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Query, Resolver, Root } from 'type-graphql';
import { compiled } from '../../read/reader';
import type { Context } from '../../server/context';
import { CitationConnectionArgs } from '../citation/citation.inputs';
import { CitationConnection, SourceConnection } from '../connections';
import { Source } from './source.entity';
import { SourceConnectionArgs } from './source.inputs';

@Resolver(() => Source)
export class SourceResolver {
  @Query(() => Source, { description: 'One source by id; NOT_FOUND when it does not exist or is above your clearance.' })
  source(@Arg('id', () => ID) id: string, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return ctx.reader.byId(info, id, 'id', ['Source']);
  }

  @Query(() => SourceConnection, { description: 'Sources, filtered and paginated.' })
  sources(@Args() args: SourceConnectionArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return ctx.reader.connection(info, 'Source', args);
  }

  @FieldResolver(() => CitationConnection, { description: 'Every statement this source is cited for.' })
  citations(@Root() root: Record<string, unknown>, @Args() _args: CitationConnectionArgs, @Info() info: GraphQLResolveInfo) {
    return compiled(root, info);
  }
}
