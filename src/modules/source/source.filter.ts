import { Field, ID, InputType } from 'type-graphql';
import { LocalDate } from '../../common/local-date';
import { Marking } from '../../common/marking';
import { Reliability } from './source-grades';
import { ofVocabulary, Vocabulary } from '../vocabulary/vocabularies';

@InputType({ description: 'Narrows a list of sources; all conditions must hold.' })
export class SourceFilter {
  @Field(() => String, { nullable: true, description: 'Only sources cited by statements of the topic with this slug.' })
  topic?: string | null;

  @Field(() => [String], { nullable: true, description: ofVocabulary(Vocabulary.SOURCE_KIND, 'Only these kinds.') })
  kinds?: string[] | null;

  @Field(() => Reliability, { nullable: true, description: 'Only sources at least this reliable: B keeps A and B.' })
  minReliability?: Reliability | null;

  @Field(() => ID, { nullable: true, description: 'Only sources published by this actor.' })
  publisher?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Only sources published on or after this day.' })
  publishedFrom?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Only sources published on or before this day.' })
  publishedTo?: string | null;

  @Field(() => String, { nullable: true, description: 'Name contains this text (case-insensitive).' })
  search?: string | null;

  @Field(() => Marking, { nullable: true, description: 'Only items marked at most this (never above your clearance).' })
  markingAtMost?: Marking | null;
}
