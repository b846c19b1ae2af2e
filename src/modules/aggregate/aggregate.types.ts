import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { LocalDate } from '../../common/local-date';
import { Marking } from '../../common/marking';

// The GraphQL enum of statement kinds is the briefs' (src/modules/brief/brief.types.ts).
export { StatementKind as StatementKindEnum } from '../brief/brief.types';

export enum DistributionField {
  CATEGORY = 'CATEGORY',
  RELATION_TYPE = 'RELATION_TYPE',
  ACTOR_KIND = 'ACTOR_KIND',
  MARKING = 'MARKING',
  LIKELIHOOD = 'LIKELIHOOD',
  CONFIDENCE = 'CONFIDENCE',
  RELIABILITY = 'RELIABILITY',
  CREDIBILITY = 'CREDIBILITY',
  ACTOR = 'ACTOR',
  TOPIC = 'TOPIC',
  SOURCE = 'SOURCE',
  PUBLISHER = 'PUBLISHER',
}
registerEnumType(DistributionField, {
  name: 'DistributionField',
  description: 'What `distribution` counts statements by.',
  valuesConfig: {
    CATEGORY: { description: 'The category of capabilities and challenges (a term of their vocabularies).' },
    RELATION_TYPE: { description: 'The type of actor relations.' },
    ACTOR_KIND: { description: 'The kinds of the actors a statement is about (once per kind, actors you may see only).' },
    MARKING: { description: 'The TLP marking of the statement.' },
    LIKELIHOOD: { description: 'The likelihood of implications.' },
    CONFIDENCE: { description: 'The analytic confidence of implications (a null key: not assessed).' },
    RELIABILITY: { description: 'The reliability of the sources cited: a statement counts once per grade among its visible cited sources.' },
    CREDIBILITY: { description: 'The credibility of its citations: a statement counts once per grade among its visible citations.' },
    ACTOR: { description: 'The actors a statement is about, by actor id (actors you may see only).' },
    TOPIC: { description: 'The topic of the statement, by topic id (topics you may see only).' },
    SOURCE: { description: 'The sources cited, by source id: a statement counts once per visible source citing it.' },
    PUBLISHER: { description: 'The publishers of the sources cited, by actor id: a statement counts once per publisher (publishers you may see only).' },
  },
});

export enum TimeField {
  EVENT_DATE = 'EVENT_DATE',
  REPORT_DATE = 'REPORT_DATE',
  CHANGE_DATE = 'CHANGE_DATE',
}
registerEnumType(TimeField, {
  name: 'TimeField',
  description: 'What `timeSeries` counts over time.',
  valuesConfig: {
    EVENT_DATE: { description: 'Events by when they happened, honouring their precision (see `TimeBucket.imprecise`).' },
    REPORT_DATE: { description: 'Statements by the publication day of the sources cited: once per bucket holding at least one of those days.' },
    CHANGE_DATE: { description: 'Recorded changes of statements (as the `changes` feed shows them), by UTC day of the change.' },
  },
});

export enum Interval {
  DAY = 'DAY',
  WEEK = 'WEEK',
  MONTH = 'MONTH',
  QUARTER = 'QUARTER',
  YEAR = 'YEAR',
}
registerEnumType(Interval, { name: 'Interval', description: 'The width of a time bucket; weeks start on Monday (ISO 8601).' });

@InputType({ description: 'Narrows the statements an aggregate counts, with the meaning the list filters give these fields.' })
export class AggregateFilter {
  @Field(() => String, { nullable: true, description: 'Only statements of the topic with this slug.' })
  topic?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'Only statements about this actor (its own, those it is involved in or bears on, either side of a relation).',
  })
  actor?: string | null;

  @Field(() => Marking, { nullable: true, description: 'Only statements marked at most this.' })
  markingAtMost?: Marking | null;

  @Field(() => LocalDate, { nullable: true, description: 'Only events on or after this day (events only: other kinds have no such day).' })
  occurredFrom?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Only events on or before this day (events only).' })
  occurredTo?: string | null;
}

@ObjectType({ description: 'How many statements you may see share one value.' })
export class Bucket {
  @Field(() => String, {
    nullable: true,
    description: 'The value: a term, marking or grade, or the id of the actor, topic or source; null for statements without one (confidence not assessed).',
  })
  key: string | null;

  @Field(() => String, { nullable: true, description: 'The vocabulary label of a term, or the name of the actor, topic or source; null for fixed scales.' })
  label: string | null;

  @Field(() => Int, { description: 'How many statements you may see have this value.' })
  count: number;
}

@ObjectType({ description: 'How many items you may see fall in one period.' })
export class TimeBucket {
  @Field(() => LocalDate, { description: 'The first day of the period.' })
  start: string;

  @Field(() => Int, { description: 'Items dated within the period (events: only those dated at least as precisely as the interval).' })
  count: number;

  @Field(() => Int, {
    description:
      'Events known less precisely than the interval (a month, a year) whose period overlaps this one: not counted in `count`, since they may lie outside it. 0 for other fields.',
  })
  imprecise: number;
}
