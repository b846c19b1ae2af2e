import { Field, ID, InputType } from 'type-graphql';
import { LocalDate } from '../../common/local-date';
import { AssertionFilter } from '../assertion/assertion.inputs';

@InputType({ description: 'Narrows a list of events; all conditions must hold.' })
export class EventFilter extends AssertionFilter {
  @Field(() => ID, { nullable: true, description: 'Only events this actor was involved in.' })
  actor?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only events at this location.' })
  location?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Only events on or after this day.' })
  occurredFrom?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Only events on or before this day.' })
  occurredTo?: string | null;
}
