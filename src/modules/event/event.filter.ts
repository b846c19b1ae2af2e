import { Field, ID, InputType } from 'type-graphql';
import { LocalDate } from '../../common/local-date';
import { AssertionFilter } from '../assertion/assertion.inputs';

@InputType({ description: 'Narrows a list of events; all conditions must hold.' })
export class EventFilter extends AssertionFilter {
  @Field(() => ID, { nullable: true, description: 'Only events this actor was involved in.' })
  actor?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only events at this location.' })
  location?: string | null;

  @Field(() => LocalDate, {
    nullable: true,
    description: 'Only events whose date may be on or after this day: its interval (see `Event.occurredFrom`) ends on or after it.',
  })
  occurredFrom?: string | null;

  @Field(() => LocalDate, {
    nullable: true,
    description:
      'Only events whose date may be on or before this day: its interval starts on or before it. A year-only event is in any window overlapping its year.',
  })
  occurredTo?: string | null;
}
