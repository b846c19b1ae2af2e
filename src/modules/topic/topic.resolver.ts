import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, Info, Query, Resolver } from 'type-graphql';
import { sql } from '../../read/fragment';
import type { Context } from '../../server/context';
import { Topic } from './topic.entity';

@Resolver()
export class TopicResolver {
  @Query(() => Topic, { description: 'One topic by slug; NOT_FOUND when it does not exist or is above your clearance.' })
  topic(@Arg('slug') slug: string, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return ctx.reader.one(info, 'Topic', `Topic "${slug}"`, (row) => sql`${row}.slug = ${sql.value(slug)}`);
  }
}
