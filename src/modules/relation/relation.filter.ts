import { Field, ID, InputType } from 'type-graphql';
import { LocalDate } from '../../common/local-date';
import { AssertionFilter } from '../assertion/assertion.inputs';
import { ofVocabulary, Vocabulary } from '../vocabulary/vocabularies';

@InputType({ description: 'Narrows a list of actor relations; all conditions must hold.' })
export class RelationFilter extends AssertionFilter {
  @Field(() => ID, { nullable: true, description: 'Only relations in which this actor is either side.' })
  actor?: string | null;

  @Field(() => [String], { nullable: true, description: ofVocabulary(Vocabulary.RELATION_TYPE, 'Only these types.') })
  types?: string[] | null;

  @Field(() => LocalDate, { nullable: true, description: 'Only relations that hold on this day (open ends count as holding).' })
  validOn?: string | null;
}
