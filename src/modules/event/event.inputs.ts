import { ArgsType, Field, ID, InputType, registerEnumType } from 'type-graphql';
import { LocalDate } from '../../common/local-date';
import { orderInputOf, PageArgs } from '../../common/pagination';
import { AssertionFilter } from '../assertion/assertion.inputs';

export enum EventOrderField {
  OCCURRED_ON = 'OCCURRED_ON',
  CREATED_AT = 'CREATED_AT',
  UPDATED_AT = 'UPDATED_AT',
}
registerEnumType(EventOrderField, { name: 'EventOrderField', description: 'What to order events by.' });

export const EventOrder = orderInputOf(EventOrderField, 'Event');

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

@ArgsType()
export class EventConnectionArgs extends PageArgs {
  @Field(() => EventFilter, { nullable: true })
  filter?: EventFilter | null;

  @Field(() => EventOrder, { nullable: true, description: 'Default: in the order they happened.' })
  orderBy?: InstanceType<typeof EventOrder> | null;
}
