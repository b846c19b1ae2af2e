import type { GraphQLResolveInfo } from 'graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { Arg, Args, Ctx, ID, Info, Query, Resolver } from 'type-graphql';
import { badUserInput } from '../../common/errors';
import { connectionOf } from '../../common/pagination';
import { toGlobalId } from '../../read/global-id';
import { asksFor, byResponseKey } from '../../read/response-shape';
import type { Context } from '../../server/context';
import { BriefInput } from '../brief/brief.inputs';
import { definitionView } from '../brief-definition/brief-definition.resolver';
import { BriefDelta } from './brief-delta.types';
import { BriefRun } from './brief-run.entity';
import { BriefRunConnectionArgs } from './brief-run.inputs';
import { findRun, latestRun, pageOfRuns } from './brief-run.read';
import { briefDeltaFor } from './brief-run.service';

export const runView = (r: BriefRun) => ({ ...r, id: toGlobalId('BriefRun', r.id), definition: definitionView(r.definition) });

export const BriefRunConnection = connectionOf(BriefRun, 'BriefRun');

@Resolver(() => BriefRun)
export class BriefRunResolver {
  @Query(() => BriefRunConnection, {
    description:
      'Runs of a definition you are cleared for, newest occurrence first: only the runs you may read are listed and counted. NOT_FOUND when you may not see the definition.',
  })
  async briefRuns(@Args(() => BriefRunConnectionArgs) args: BriefRunConnectionArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    const page = await pageOfRuns(ctx.dataSource.manager, ctx.viewer, args, ctx.reader.pageSize, asksFor(info, 'totalCount'));
    const edges = page.edges.map((edge) => ({ cursor: edge.cursor, node: runView(edge.node) }));
    return byResponseKey(info, { ...page, edges, nodes: edges.map((edge) => edge.node) });
  }

  @Query(() => BriefRun, { nullable: true, description: 'One run by id; null when there is none you may read, exactly as when there is none at all.' })
  async briefRun(@Arg('id', () => ID) id: string, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    const run = await findRun(ctx.dataSource.manager, ctx.viewer, id);
    return byResponseKey(info, run ? runView(run) : null);
  }

  @Query(() => BriefRun, { nullable: true, description: 'The newest successful run of a definition you are cleared for; null when none.' })
  async latestBriefRun(@Arg('definition', () => ID) definition: string, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    const run = await latestRun(ctx.dataSource.manager, ctx.viewer, definition);
    return byResponseKey(info, run ? runView(run) : null);
  }

  @Query(() => BriefDelta, {
    description: 'What changed since `since` in the brief `input` asks for: exact against a stored run of the same input, else by timestamps.',
  })
  async briefDelta(
    @Arg('input', () => BriefInput) input: BriefInput,
    @Arg('since', () => GraphQLDateTime) since: Date,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    // DateTime takes any offset: in UTC the time may fall in year 0 or 10000, which it cannot write back.
    const year = since.getUTCFullYear();
    if (year < 1 || year > 9999) throw badUserInput('since', 'must fall in the years 1 to 9999 (UTC)');
    return byResponseKey(info, await briefDeltaFor(ctx.dataSource, ctx.viewer, input, since));
  }
}
