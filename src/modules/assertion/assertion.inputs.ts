import { Field, InputType, Int, registerEnumType } from 'type-graphql';
import { LocalDate } from '../../common/local-date';
import { Marking } from '../../common/marking';
import { Reliability } from '../source/source-grades';

/** Filters every kind of statement understands. */
@InputType()
export class AssertionFilter {
  @Field(() => String, { nullable: true, description: 'Only statements of the topic with this slug.' })
  topic?: string | null;

  @Field(() => Marking, { nullable: true, description: 'Only statements marked at most this (never above your clearance).' })
  markingAtMost?: Marking | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Only statements with a citation at least this credible (1 = confirmed ... 6 = cannot be judged): 2 keeps 1 and 2.',
  })
  minCredibility?: number | null;

  @Field(() => Reliability, {
    nullable: true,
    description: 'Only statements cited to a source at least this reliable (A best, F cannot be judged): B keeps A and B.',
  })
  minReliability?: Reliability | null;

  @Field(() => LocalDate, { nullable: true, description: 'Only statements cited to a source published on or after this day.' })
  reportedFrom?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Only statements cited to a source published on or before this day.' })
  reportedTo?: string | null;

  @Field(() => Int, { nullable: true, description: 'Only statements with at least this many distinct sources (2 = corroborated).' })
  minSources?: number | null;

  @Field(() => Int, { nullable: true, description: 'Only statements with at most this many distinct sources (1 = single-sourced).' })
  maxSources?: number | null;
}

export enum AssertionOrderField {
  CREATED_AT = 'CREATED_AT',
  UPDATED_AT = 'UPDATED_AT',
}
registerEnumType(AssertionOrderField, { name: 'AssertionOrderField', description: 'What to order statements by.' });
