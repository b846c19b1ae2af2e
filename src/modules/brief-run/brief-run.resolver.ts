import type { GraphQLResolveInfo } from 'graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { Arg, Ctx, ID, Info, Int, Query, Resolver } from 'type-graphql';
import { badUserInput } from '../../common/errors';
import { toGlobalId } from '../../read/global-id';
import { byResponseKey } from '../../read/response-shape';
import type { Context } from '../../server/context';
import { BriefInput } from '../brief/brief.inputs';
import { definitionView } from '../brief-definition/brief-definition.resolver';
import { BriefDelta } from './brief-delta.types';
import { BriefRun, BriefRunStatus } from './brief-run.entity';
import { briefDeltaFor, listRuns } from './brief-run.service';

export const runView = (r: BriefRun) => ({ ...r, id: toGlobalId('BriefRun', r.id), definition: definitionView(r.definition) });

@Resolver(() => BriefRun)
export class BriefRunResolver {
  @Query(() => [BriefRun], { description: 'Runs of a definition you are cleared for, newest occurrence first.' })
  async briefRuns(
    @Arg('definition', () => ID) definition: string,
    @Arg('status', () => BriefRunStatus, { nullable: true }) status: BriefRunStatus | null,
    @Arg('limit', () => Int, { defaultValue: 20, description: 'At most this many runs (1-100).' }) limit: number,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw badUserInput('limit', 'must be between 1 and 100');
    const runs = await listRuns(ctx.dataSource, ctx.viewer, definition, limit, status);
    return byResponseKey(info, runs.map(runView));
  }

  @Query(() => BriefRun, { nullable: true, description: 'The newest successful run of a definition you are cleared for; null when none.' })
  async latestBriefRun(@Arg('definition', () => ID) definition: string, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    const [run] = await listRuns(ctx.dataSource, ctx.viewer, definition, 1, BriefRunStatus.SUCCEEDED);
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
