import { Check, Column, Entity, Index, JoinColumn, JoinTable, ManyToMany, ManyToOne } from 'typeorm';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { LocalDate } from '../../common/local-date';
import { QUANTITY_EXACT_ONE_VALUE, QUANTITY_HAS_VALUE, QUANTITY_ORDERED, trimmedText } from '../../common/checks';
import { Item, Node } from '../../common/columns';
import { Quantity } from '../../common/quantity';
import { Assertion } from '../assertion/assertion.entity';
import { Actor } from '../actor/actor.entity';
import { Location } from '../location/location.entity';
import { orderIndexes } from '../../db/order-index';

export enum DatePrecision {
  DAY = 'DAY',
  MONTH = 'MONTH',
  YEAR = 'YEAR',
}

registerEnumType(DatePrecision, {
  name: 'DatePrecision',
  description: 'How precisely a date is known: "in August 2024" is MONTH, and its date is the first of the month.',
});

@Entity()
@orderIndexes('event', ['created_at', 'updated_at'])
@Check('title_not_blank', trimmedText('title'))
// "In August 2024" is stored as 2024-08-01: a month's date is its first day, a year's 1 January.
@Check(
  'event_date_fits_precision',
  `(precision <> 'MONTH' OR extract(day FROM occurred_on) = 1) AND (precision <> 'YEAR' OR (extract(month FROM occurred_on) = 1 AND extract(day FROM occurred_on) = 1))`,
)
@Check('quantity_ordered', QUANTITY_ORDERED)
// Lists order by the date's interval: an index on that expression, made by its migration (1796360000000).
@Index('event_occurred_order', { synchronize: false })
@Check('quantity_has_value', QUANTITY_HAS_VALUE)
@Check('quantity_exact_one_value', QUANTITY_EXACT_ONE_VALUE)
@ObjectType({
  implements: [Node, Item, Assertion],
  simpleResolvers: true,
  description: 'Something that happened at a time (with its precision) and, where known, a place.',
})
export class Event extends Assertion {
  @Field({ description: 'What happened, in a few words.' })
  @Column('text')
  title: string;

  @Field(() => String, { nullable: true, description: 'What happened, in more words.' })
  @Column('text', { nullable: true })
  description: string | null;

  @Field(() => LocalDate, {
    description: 'The first day of when it happened, kept for compatibility: read it with `precision`, or read `occurredFrom`/`occurredTo`.',
  })
  @Index()
  @Column('date')
  occurredOn: string;

  @Field(() => DatePrecision, { description: 'How precisely `occurredOn` is known (DAY, MONTH or YEAR).' })
  @Column({ type: 'enum', enum: DatePrecision, enumName: 'date_precision' })
  precision: DatePrecision;

  @Field(() => LocalDate, { description: 'First day it may have happened: the date is the interval [occurredFrom, occurredTo].' })
  occurredFrom: string;

  @Field(() => LocalDate, {
    description: 'Last day it may have happened (the end of its day, month or year). Lists order and filter events by this interval.',
  })
  occurredTo: string;

  @Index()
  @Column('uuid', { nullable: true })
  locationId: string | null;

  @Field(() => Location, { nullable: true, description: 'Where it happened; null when unknown or above your clearance.' })
  @ManyToOne(() => Location, { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'location_id' })
  location: Location | null;

  @Field(() => [Actor], { description: 'The actors involved (those you may see).' })
  @ManyToMany(() => Actor)
  @JoinTable({ name: 'event_actor' })
  actors: Actor[];

  @Field(() => Quantity, { nullable: true, description: 'A number that goes with the event (troops deployed), as a range or an exact count.' })
  @Column(() => Quantity)
  quantity: Quantity;
}
