import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, Ctx, ID, Info, Query, Resolver } from 'type-graphql';
import { notFound } from '../../common/errors';
import { fromGlobalId, toGlobalId } from '../../read/global-id';
import { readModels } from '../../registry/registry';
import { byResponseKey } from '../../read/response-shape';
import type { Context } from '../../server/context';
import { visibleIds } from '../assertion/assertion.write';
import { Role } from '../identity/role';
import { Release } from './release.entity';

@Resolver()
export class ReleaseResolver {
  @Authorized(Role.RELEASER)
  @Query(() => [Release], { description: 'The release decisions taken on an item you may read, oldest first (RELEASER).' })
  async releases(@Arg('item', () => ID) item: string, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    const { typeName, id } = fromGlobalId(item, 'item');
    const model = readModels.get(typeName);
    if (!model || !(await visibleIds(ctx.dataSource.manager, ctx.viewer, model.table, [id])).has(id)) throw notFound(`${typeName} ${item}`);
    const releases = await ctx.dataSource.manager.find(Release, { where: { itemId: id }, order: { releasedAt: 'ASC', id: 'ASC' } });
    return byResponseKey(
      info,
      releases.map((r) => ({ ...r, id: toGlobalId('Release', r.id), item })),
    );
  }
}
