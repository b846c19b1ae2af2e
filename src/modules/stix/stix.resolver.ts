import { Arg, Ctx, Field, Int, ObjectType, Query, Resolver } from 'type-graphql';
import type { Context } from '../../server/context';
import { ScopeInput } from '../brief/brief.inputs';
import { bundlePieces } from './stix-bundle';
import { exportStixBundle, exportStixBundleParts } from './stix-export';

@ObjectType({ simpleResolvers: true, description: 'A STIX 2.1 bundle: what a scope covers, as its reader may see it.' })
export class StixBundleResult {
  @Field({ description: 'The bundle id ("bundle--<uuid>"), derived from its content: the same data gives the same id.' })
  id: string;

  @Field(() => Int, { description: 'How many STIX objects the bundle holds.' })
  objectCount: number;

  @Field({
    description: 'The bundle as JSON text, in canonical form (keys sorted, objects in id order), so the same data exports byte for byte the same bundle.',
  })
  json: string;
}

@Resolver()
export class StixResolver {
  @Query(() => StixBundleResult, {
    description:
      'Export a scope (topics, actors, window, minimum grades, clearance) as a STIX 2.1 bundle, with the same access rules as every read. Bad input is BAD_USER_INPUT naming the field.',
  })
  async stixBundle(@Arg('scope', () => ScopeInput) scope: ScopeInput, @Ctx() ctx: Context): Promise<StixBundleResult> {
    if (!ctx.largeAnswers) return exportStixBundle(ctx.dataSource, ctx.viewer, scope);
    // Over HTTP the bundle is never joined: its pieces are written into the body where `json` is (large-answers).
    const parts = await exportStixBundleParts(ctx.dataSource, ctx.viewer, scope);
    return { id: parts.id, objectCount: parts.objectCount, json: ctx.largeAnswers.add(() => bundlePieces(parts)) };
  }
}
