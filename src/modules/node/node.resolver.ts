import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, ID, Info, Query, Resolver } from 'type-graphql';
import { Node } from '../../common/columns';
import { notFound } from '../../common/errors';
import { fromGlobalId } from '../../read/global-id';
import { byResponseKeyAs } from '../../read/response-shape';
import type { Context } from '../../server/context';
import { findRun } from '../brief-run/brief-run.read';
import { runView } from '../brief-run/brief-run.resolver';

@Resolver()
export class NodeResolver {
  @Query(() => Node, { description: 'Any object by global id; NOT_FOUND when it does not exist or is above your clearance.' })
  async node(@Arg('id', () => ID) id: string, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    // Stored runs are read through their own seam (they hide when anything they show is re-marked), not the registry's.
    if (fromGlobalId(id, 'id').typeName === 'BriefRun') {
      const run = await findRun(ctx.dataSource.manager, ctx.viewer, id);
      if (!run) throw notFound(`BriefRun ${id}`);
      return byResponseKeyAs(info, 'BriefRun', runView(run));
    }
    return ctx.reader.byId(info, id, 'id');
  }
}
