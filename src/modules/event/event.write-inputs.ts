import { LocalDate } from '../../common/local-date';
import { Field, ID, InputType } from 'type-graphql';
import { QuantityInput } from '../../common/quantity.inputs';
import { NewStatementFields, StatementAccessPatch } from '../assertion/statement.write-inputs';
import { DatePrecision } from './event.entity';

@InputType({ description: 'A new event and the sources behind it.' })
export class EventInput extends NewStatementFields {
  @Field({ description: 'What happened, in a few words.' })
  title: string;

  @Field(() => String, { nullable: true, description: 'What happened, in more words.' })
  description?: string | null;

  @Field(() => LocalDate, { description: 'When: the day, or the first day of the month or year it is known to.' })
  occurredOn: string;

  @Field(() => DatePrecision, { description: 'How precisely the date is known.' })
  precision: DatePrecision;

  @Field(() => ID, { nullable: true, description: 'Where (a Location id).' })
  location?: string | null;

  @Field(() => [ID], { nullable: true, description: 'Actors involved.' })
  actors?: string[] | null;

  @Field(() => QuantityInput, { nullable: true, description: 'A number that goes with it, as a range or an exact count.' })
  quantity?: QuantityInput | null;
}

@InputType({ description: 'Changes to an event: fields not given stay as they are.' })
export class EventPatch extends StatementAccessPatch {
  @Field(() => String, { nullable: true, description: 'New title.' })
  title?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'New date (with `precision`, checked together).' })
  occurredOn?: string | null;

  @Field(() => DatePrecision, { nullable: true, description: 'New precision.' })
  precision?: DatePrecision | null;
}
