import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, Ctx, ID, Info, Mutation, Query, Resolver } from 'type-graphql';
import { Role } from '../identity/role';
import { toGlobalId } from '../../read/global-id';
import { byResponseKey } from '../../read/response-shape';
import type { Context } from '../../server/context';
import { BriefDefinition } from './brief-definition.entity';
import { BriefDefinitionInput, BriefDefinitionPatch } from './brief-definition.inputs';
import { createDefinition, deleteDefinition, findDefinition, setPaused, updateDefinition, visibleDefinitions } from './brief-definition.service';

/** A stored definition as the API shows it: with its global id. */
export const definitionView = (d: BriefDefinition) => ({ ...d, id: toGlobalId('BriefDefinition', d.id) });

@Resolver(() => BriefDefinition)
export class BriefDefinitionResolver {
  @Query(() => [BriefDefinition], { description: 'Saved brief definitions you are cleared for, by name.' })
  async briefDefinitions(@Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    const all = await visibleDefinitions(ctx.dataSource.manager, ctx.viewer).orderBy('d.name').getMany();
    return byResponseKey(info, all.map(definitionView));
  }

  @Query(() => BriefDefinition, { description: 'One brief definition; NOT_FOUND when there is none you are cleared for.' })
  async briefDefinition(@Arg('id', () => ID) id: string, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return byResponseKey(info, definitionView(await findDefinition(ctx.dataSource.manager, ctx.viewer, id, 'id')));
  }

  @Authorized(Role.REPORTER)
  @Mutation(() => BriefDefinition, {
    description:
      'Save a brief to run on a schedule (REPORTER); its runs are composed as you. Bad input or cron is BAD_USER_INPUT naming the field; a taken name is CONFLICT.',
  })
  async createBriefDefinition(@Arg('input', () => BriefDefinitionInput) input: BriefDefinitionInput, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return byResponseKey(info, definitionView(await createDefinition(ctx.dataSource, ctx.viewer, input)));
  }

  @Authorized(Role.REPORTER)
  @Mutation(() => BriefDefinition, {
    description:
      'Change a brief definition of your organisation (REPORTER); a new schedule takes effect from now. Lowering its clearance is FORBIDDEN (it would release it): create a new definition instead.',
  })
  async updateBriefDefinition(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => BriefDefinitionPatch) input: BriefDefinitionPatch,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    return byResponseKey(info, definitionView(await updateDefinition(ctx.dataSource, ctx.viewer, id, input)));
  }

  @Authorized(Role.REPORTER)
  @Mutation(() => BriefDefinition, { description: 'Stop running a definition of your organisation until it is resumed (REPORTER).' })
  async pauseBriefDefinition(@Arg('id', () => ID) id: string, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return byResponseKey(info, definitionView(await setPaused(ctx.dataSource, ctx.viewer, id, true)));
  }

  @Authorized(Role.REPORTER)
  @Mutation(() => BriefDefinition, { description: 'Run a paused definition of your organisation again, from its next occurrence (REPORTER).' })
  async resumeBriefDefinition(@Arg('id', () => ID) id: string, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return byResponseKey(info, definitionView(await setPaused(ctx.dataSource, ctx.viewer, id, false)));
  }

  @Authorized(Role.REPORTER)
  @Mutation(() => ID, { description: 'Delete a definition of your organisation and its runs (REPORTER); returns its id.' })
  deleteBriefDefinition(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return deleteDefinition(ctx.dataSource, ctx.viewer, id);
  }
}
