import { GraphQLDateTime } from 'graphql-scalars';
import { ArgsType, Field, ID } from 'type-graphql';
import { PageArgs } from '../../common/pagination';
import { BriefRunStatus } from './brief-run.entity';

@ArgsType()
export class BriefRunConnectionArgs extends PageArgs {
  @Field(() => ID, { description: 'The definition whose runs to list.' })
  definition: string;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'Only runs scheduled at or after this time.' })
  since?: Date | null;

  @Field(() => [BriefRunStatus], { nullable: true, description: 'Only runs in one of these states.' })
  status?: BriefRunStatus[] | null;
}
