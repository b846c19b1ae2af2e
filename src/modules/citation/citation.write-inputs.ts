import { Field, ID, InputType, Int } from 'type-graphql';
import { LocalDate } from '../../common/local-date';
import { Marking } from '../../common/marking';
import { ReportingVerb } from './reporting-verb';

@InputType({ description: 'One source behind a statement: its words, or where in it to look (at least one of quote, url, page, paragraph, accessedOn).' })
export class CitationInput {
  @Field(() => ID, { description: 'The source (a Source id).' })
  source: string;

  @Field(() => ID, {
    nullable: true,
    description:
      "The original source (a Source you may see that relays no other) when these words pass on another's reporting; the source's own `relays` when not given.",
  })
  relayedFrom?: string | null;

  @Field(() => ReportingVerb, { description: 'How the source put it.' })
  verb: ReportingVerb;

  @Field(() => String, { nullable: true, description: "The source's own words; leave it out for a source without quotable text (a dataset, a chart)." })
  quote?: string | null;

  @Field(() => String, { nullable: true, description: 'Where exactly to read it: an http(s) address.' })
  url?: string | null;

  @Field(() => String, { nullable: true, description: 'The page (or pages) of the source.' })
  page?: string | null;

  @Field(() => String, { nullable: true, description: 'The paragraph (or section) of the source.' })
  paragraph?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'The day the source was read.' })
  accessedOn?: string | null;

  @Field(() => Int, { description: 'Credibility of this information, 1 (confirmed) to 6 (cannot be judged).' })
  credibility: number;

  @Field(() => Marking, { nullable: true, description: 'Marking of the citation; that of its statement when not given.' })
  marking?: Marking | null;
}
