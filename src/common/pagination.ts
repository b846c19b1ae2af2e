import { ArgsType, ClassType, Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { badUserInput } from './errors';

export enum OrderDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(OrderDirection, { name: 'OrderDirection', description: 'Ascending or descending.' });

@ObjectType({ simpleResolvers: true, description: 'Where a page sits in its connection (Relay cursor pagination).' })
export class PageInfo {
  @Field({ description: 'True when more items follow the page: ask again with `after: endCursor`.' })
  hasNextPage: boolean;

  @Field({ description: 'True when items come before the page: ask again with `last` and `before: startCursor`.' })
  hasPreviousPage: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the first item of the page: pass it as `before` to read back.' })
  startCursor: string | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the last item of the page: pass it as `after` to read on.' })
  endCursor: string | null;
}

export const FIRST_DESCRIPTION =
  'Page size, 0 to MAX_PAGE_SIZE (100 unless configured otherwise); without it (and without `last`), DEFAULT_PAGE_SIZE (20 unless configured otherwise).';
export const LAST_DESCRIPTION = 'Page size when reading backward: the items just before `before` (or the last ones), in the same order. Not with `first`.';
export const AFTER_DESCRIPTION = 'Return items after this cursor (one of the same connection and ordering).';
export const BEFORE_DESCRIPTION = 'Return items before this cursor (one of the same connection and ordering).';

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: FIRST_DESCRIPTION })
  first?: number | null;

  @Field(() => String, { nullable: true, description: AFTER_DESCRIPTION })
  after?: string | null;

  @Field(() => Int, { nullable: true, description: LAST_DESCRIPTION })
  last?: number | null;

  @Field(() => String, { nullable: true, description: BEFORE_DESCRIPTION })
  before?: string | null;
}

/** The page arguments of any connection (Relay cursor connections). */
export interface PageRequest {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/**
 * Which page is asked for: `size` items after `after` (forward), or the `size` items just before `before` (backward,
 * with `last`), both cursors bounding the window when given. Every connection reads its arguments through here, so
 * all of them accept and refuse the same things (BAD_USER_INPUT naming the argument).
 */
export interface PageWindow {
  size: number;
  backward: boolean;
  after?: string;
  before?: string;
}

export function pageWindow(args: PageRequest, pageSize: { max: number; default: number }): PageWindow {
  const given = (n: number | null | undefined): n is number => n !== null && n !== undefined;
  if (given(args.first) && given(args.last)) throw badUserInput('last', 'give first or last, not both');
  const backward = given(args.last) || (!given(args.first) && Boolean(args.before));
  const argumentName = backward ? 'last' : 'first';
  const size = (backward ? args.last : args.first) ?? pageSize.default;
  if (!Number.isInteger(size) || size < 0 || size > pageSize.max) throw badUserInput(argumentName, `must be between 0 and ${pageSize.max}`);
  return { size, backward, after: args.after ?? undefined, before: args.before ?? undefined };
}

/** How many items `totalCountCapped` counts at most: enough for any page count a reader scrolls, cheap at any size. */
export const COUNT_CAP = 10_000;
const CAP = COUNT_CAP.toLocaleString('en');

@ObjectType({
  simpleResolvers: true,
  description: `How many items match, counted up to ${CAP}: exact below that, otherwise "more than ${CAP}".`,
})
export class CappedCount {
  @Field(() => Int, { description: `The number of matching items when \`exact\`; otherwise ${CAP}, and more than that match.` })
  count: number;

  @Field({ description: `True when \`count\` is the exact number; false when more than ${CAP} items match.` })
  exact: boolean;
}

/** `XConnection` and `XEdge` types for a node type; `cappedCount` adds `totalCountCapped` (for compiled connections). */
export function connectionOf<T extends object>(node: ClassType<T>, name: string, { cappedCount = false } = {}) {
  @ObjectType(`${name}Edge`, { simpleResolvers: true, description: `One ${name} in a page, with its cursor.` })
  class Edge {
    @Field({ description: 'Opaque position of this item: pass it as `after` to read on from here, or as `before` to read back.' })
    cursor: string;

    @Field(() => node, { description: `The ${name}.` })
    node: T;
  }

  @ObjectType(`${name}Connection`, { simpleResolvers: true, description: `A page of ${name} items.` })
  class Connection {
    @Field(() => [Edge], { description: 'The items of the page, each with its cursor.' })
    edges: Edge[];

    @Field(() => [node], { description: 'The items of the page, without cursors.' })
    nodes: T[];

    @Field(() => PageInfo, { description: 'Whether more pages follow, and the cursors to reach them.' })
    pageInfo: PageInfo;

    @Field(() => Int, {
      description:
        'How many items match the filter in all (that you may see), across all pages. Exact, so it reads every matching item: on a large list, `totalCountCapped` answers in bounded time.',
    })
    totalCount: number;
  }
  if (cappedCount) {
    Field(() => CappedCount, {
      description: `How many items match the filter (that you may see), exact up to ${CAP} and "more than that" beyond: it reads at most ${(COUNT_CAP + 1).toLocaleString('en')} items, so it stays fast on lists of any size, where \`totalCount\` counts them all.`,
    })(Connection.prototype, 'totalCountCapped');
  }
  return Connection;
}

/** `input XOrder { field: XOrderField!, direction: OrderDirection = ASC }`. */
export function orderInputOf<E extends object>(fieldEnum: E, name: string) {
  @InputType(`${name}Order`, { description: `How to order ${name} items; ties are broken by id.` })
  class Order {
    @Field(() => fieldEnum, { description: 'What to order by.' })
    field: E[keyof E];

    @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC, description: 'Ascending (default) or descending.' })
    direction: OrderDirection;
  }
  return Order;
}
