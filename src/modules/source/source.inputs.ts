import { ArgsType, Field, ID, InputType, registerEnumType } from 'type-graphql';
import { LocalDate } from '../../common/local-date';
import { Marking } from '../../common/marking';
import { orderInputOf, PageArgs } from '../../common/pagination';
import { Reliability, SourceKind } from './source-grades';

export enum SourceOrderField {
  NAME = 'NAME',
  PUBLISHED_ON = 'PUBLISHED_ON',
  RELIABILITY = 'RELIABILITY',
  CREATED_AT = 'CREATED_AT',
  UPDATED_AT = 'UPDATED_AT',
}
registerEnumType(SourceOrderField, { name: 'SourceOrderField', description: 'What to order sources by (undated sources count as oldest).' });

export const SourceOrder = orderInputOf(SourceOrderField, 'Source');

@InputType({ description: 'Narrows a list of sources; all conditions must hold.' })
export class SourceFilter {
  @Field(() => String, { nullable: true, description: 'Only sources cited by statements of the topic with this slug.' })
  topic?: string | null;

  @Field(() => [SourceKind], { nullable: true, description: 'Only these kinds.' })
  kinds?: SourceKind[] | null;

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

@ArgsType()
export class SourceConnectionArgs extends PageArgs {
  @Field(() => SourceFilter, { nullable: true })
  filter?: SourceFilter | null;

  @Field(() => SourceOrder, { nullable: true, description: 'Default: by name.' })
  orderBy?: InstanceType<typeof SourceOrder> | null;
}
