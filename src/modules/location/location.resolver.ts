import type { GraphQLResolveInfo } from 'graphql';
import { Args, FieldResolver, Info, Resolver, Root } from 'type-graphql';
import { compiled } from '../../read/reader';
import { EventConnection } from '../connections';
import { EventConnectionArgs } from '../event/event.inputs';
import { Location } from './location.entity';

@Resolver(() => Location)
export class LocationResolver {
  @FieldResolver(() => EventConnection, { description: 'Events that happened here.' })
  events(@Root() root: Record<string, unknown>, @Args() _args: EventConnectionArgs, @Info() info: GraphQLResolveInfo) {
    return compiled(root, info);
  }
}
