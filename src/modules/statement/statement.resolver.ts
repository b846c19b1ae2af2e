import { getNamedType, type GraphQLObjectType, type GraphQLResolveInfo } from 'graphql';
import { Args, ArgsType, Ctx, Field, Info, Query, Resolver, registerEnumType, type ClassType } from 'type-graphql';
import { connectionOf, orderInputOf, PageArgs } from '../../common/pagination';
import type { ConnectionArgs } from '../../read/page';
import type { Context } from '../../server/context';
import { Assertion } from '../assertion/assertion.entity';
import { StatementFilter } from './statement.filter';
import { statementOrdering, statementsSql } from './statement.list';

const StatementOrderField = Object.fromEntries(Object.keys(statementOrdering.orderFields).map((name) => [name, name]));
registerEnumType(StatementOrderField, { name: 'StatementOrderField', description: 'What to order statements of every kind by.' });
const StatementOrder = orderInputOf(StatementOrderField, 'Statement');
export const StatementConnection = connectionOf(Assertion as unknown as ClassType<Assertion>, 'Statement', { cappedCount: true });

@ArgsType()
class StatementArgs extends PageArgs {
  @Field(() => StatementFilter, { nullable: true, description: 'Only the statements that meet all these conditions.' })
  filter?: StatementFilter | null;

  @Field(() => StatementOrder, { nullable: true, description: `Default: ${statementOrdering.defaultOrder.description}.` })
  orderBy?: ConnectionArgs['orderBy'];

  @Field(() => Boolean, { nullable: true, defaultValue: false, description: 'Retracted statements too; they are left out otherwise.' })
  includeRetracted?: boolean | null;
}

@Resolver()
export class StatementResolver {
  @Query(() => StatementConnection, {
    description:
      'Statements of every kind (capabilities, challenges, judgments, events, relations) in one list, with the filters their own lists share; filtered and paginated. Only what you may read is listed and counted.',
  })
  statements(@Args(() => StatementArgs) args: StatementArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    const connectionType = getNamedType(info.returnType) as GraphQLObjectType;
    return ctx.reader.read(info, (c) => statementsSql(c, connectionType, info.fieldNodes, args));
  }
}
