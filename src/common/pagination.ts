import { ArgsType, ClassType, Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum OrderDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(OrderDirection, { name: 'OrderDirection', description: 'Ascending or descending.' });

@ObjectType({ simpleResolvers: true, description: 'Where a page sits in its connection (Relay cursor pagination).' })
export class PageInfo {
  @Field({ description: 'True when more items follow: ask again with `after: endCursor`.' })
  hasNextPage: boolean;

  @Field({ description: 'True when this page was asked for with `after`.' })
  hasPreviousPage: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the first item of the page.' })
  startCursor: string | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the last item of the page: pass it as `after`.' })
  endCursor: string | null;
}

export const FIRST_DESCRIPTION =
  'Page size, 0 to MAX_PAGE_SIZE (100 unless configured otherwise); without it, DEFAULT_PAGE_SIZE (20 unless configured otherwise).';

@ArgsType()
export class PageArgs {
  @Field(() => Int, {
    nullable: true,
    description: FIRST_DESCRIPTION,
  })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Return items after this cursor (an `endCursor` of the same ordering).' })
  after?: string | null;
}

/** `XConnection` and `XEdge` types for a node type. */
export function connectionOf<T extends object>(node: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`, { simpleResolvers: true, description: `One ${name} in a page, with its cursor.` })
  class Edge {
    @Field({ description: 'Opaque position of this item: pass it as `after` to read on from here.' })
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

    @Field(() => Int, { description: 'How many items match the filter in all (that you may see), across all pages.' })
    totalCount: number;
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
