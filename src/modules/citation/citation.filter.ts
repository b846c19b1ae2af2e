import { Field, InputType, Int } from 'type-graphql';
import { Marking } from '../../common/marking';
import { ReportingVerb } from './reporting-verb';

@InputType({ description: 'Narrows a list of citations; all conditions must hold.' })
export class CitationFilter {
  @Field(() => Int, { nullable: true, description: 'Only citations at least this credible: 2 keeps 1 and 2.' })
  minCredibility?: number | null;

  @Field(() => [ReportingVerb], { nullable: true, description: 'Only these reporting verbs.' })
  verbs?: ReportingVerb[] | null;

  @Field(() => Marking, { nullable: true, description: 'Only items marked at most this (never above your clearance).' })
  markingAtMost?: Marking | null;
}
