import { Field, ID, InputType } from 'type-graphql';
import { Marking } from '../../common/marking';
import { ofVocabulary, Vocabulary } from '../vocabulary/vocabularies';

@InputType({ description: 'Narrows a list of actors; all conditions must hold.' })
export class ActorFilter {
  @Field(() => String, { nullable: true, description: 'Only actors of the topic with this slug.' })
  topic?: string | null;

  @Field(() => [String], { nullable: true, description: ofVocabulary(Vocabulary.ACTOR_KIND, 'Only actors of these kinds.') })
  kinds?: string[] | null;

  @Field(() => String, { nullable: true, description: 'Only actors of this country (ISO 3166-1 alpha-2).' })
  countryCode?: string | null;

  @Field(() => String, { nullable: true, description: 'Name or alias contains this text (case-insensitive).' })
  search?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only direct parts of this actor.' })
  parent?: string | null;

  @Field(() => Marking, { nullable: true, description: 'Only items marked at most this (never above your clearance).' })
  markingAtMost?: Marking | null;
}
