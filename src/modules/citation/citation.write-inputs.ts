import { Field, ID, InputType, Int } from 'type-graphql';
import { Marking } from '../../common/marking';
import { ReportingVerb } from './reporting-verb';

@InputType({ description: 'One source behind a statement.' })
export class CitationInput {
  @Field(() => ID, { description: 'The source (a Source id).' })
  source: string;

  @Field(() => ReportingVerb, { description: 'How the source put it.' })
  verb: ReportingVerb;

  @Field({ description: "The source's own words." })
  quote: string;

  @Field(() => Int, { description: 'Credibility of this information, 1 (confirmed) to 6 (cannot be judged).' })
  credibility: number;

  @Field(() => Marking, { nullable: true, description: 'Marking of the citation; that of its statement when not given.' })
  marking?: Marking | null;
}
