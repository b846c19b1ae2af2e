import { GraphQLDateTime } from 'graphql-scalars';
import { ArgsType, Field, ID, Int } from 'type-graphql';
import { PageArgs } from '../../common/pagination';
import { BriefRunStatus } from './brief-run.entity';

@ArgsType()
export class BriefRunConnectionArgs extends PageArgs {
  @Field(() => ID, { description: 'The definition whose runs to list.' })
  definition: string;

  @Field(() => Int, { nullable: true, description: 'Page size counted back from `before` (or from the oldest run): give `first` or `last`, not both.' })
  last?: number | null;

  @Field(() => String, { nullable: true, description: 'Return items before this cursor (a `startCursor` of this connection).' })
  before?: string | null;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'Only runs scheduled at or after this time.' })
  since?: Date | null;

  @Field(() => [BriefRunStatus], { nullable: true, description: 'Only runs in one of these states.' })
  status?: BriefRunStatus[] | null;
}
