import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import { BEFORE_DESCRIPTION, FIRST_DESCRIPTION, LAST_DESCRIPTION } from '../../common/pagination';
import type { Context } from '../../server/context';
import { changeFeed, itemHistory } from './change.read';
import { ChangeConnection, ChangeFilter } from './change.type';

const firstArg = () => Arg('first', () => Int, { nullable: true, description: FIRST_DESCRIPTION });
const lastArg = () => Arg('last', () => Int, { nullable: true, description: LAST_DESCRIPTION });
const beforeArg = () => Arg('before', () => String, { nullable: true, description: BEFORE_DESCRIPTION });
const afterArg = () => Arg('after', () => String, { nullable: true, description: 'Read on after this cursor (an `endCursor` of the same feed or history).' });

@Resolver()
export class HistoryResolver {
  @Query(() => ChangeConnection, {
    description: 'Every change of one item, oldest first, as far as you may read it: NOT_FOUND when you may not see the item, exactly as when there is none.',
  })
  history(
    @Arg('id', () => ID) id: string,
    @firstArg() first: number | null,
    @afterArg() after: string | null,
    @lastArg() last: number | null,
    @beforeArg() before: string | null,
    @Ctx() ctx: Context,
  ): Promise<ChangeConnection> {
    return itemHistory(ctx.dataSource, ctx.viewer, ctx.reader.pageSize, id, { first, after, last, before });
  }

  @Query(() => ChangeConnection, {
    description:
      'The changes you may see (creations, updates, retractions, restorations, deletions), in commit-safe order, for incremental sync: keep `pageInfo.endCursor` and resume from it; nothing is missed or repeated. An item re-marked beyond you shows once as HIDDEN; one released to you as REVEALED.',
  })
  changes(
    @afterArg() after: string | null,
    @firstArg() first: number | null,
    @Arg('filter', () => ChangeFilter, { nullable: true }) filter: ChangeFilter | null,
    @lastArg() last: number | null,
    @beforeArg() before: string | null,
    @Ctx() ctx: Context,
  ): Promise<ChangeConnection> {
    return changeFeed(ctx.dataSource, ctx.viewer, ctx.reader.pageSize, { first, after, last, before }, filter);
  }
}
