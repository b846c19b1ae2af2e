import { ArgsType, Field, InputType, Int, registerEnumType } from 'type-graphql';
import { Marking } from '../../common/marking';
import { orderInputOf, PageArgs } from '../../common/pagination';
import { ReportingVerb } from './reporting-verb';

export enum CitationOrderField {
  CREDIBILITY = 'CREDIBILITY',
  CREATED_AT = 'CREATED_AT',
  UPDATED_AT = 'UPDATED_AT',
}
registerEnumType(CitationOrderField, { name: 'CitationOrderField', description: 'What to order citations by.' });

export const CitationOrder = orderInputOf(CitationOrderField, 'Citation');

@InputType({ description: 'Narrows a list of citations; all conditions must hold.' })
export class CitationFilter {
  @Field(() => Int, { nullable: true, description: 'Only citations at least this credible: 2 keeps 1 and 2.' })
  minCredibility?: number | null;

  @Field(() => [ReportingVerb], { nullable: true, description: 'Only these reporting verbs.' })
  verbs?: ReportingVerb[] | null;

  @Field(() => Marking, { nullable: true, description: 'Only items marked at most this (never above your clearance).' })
  markingAtMost?: Marking | null;
}

@ArgsType()
export class CitationConnectionArgs extends PageArgs {
  @Field(() => CitationFilter, { nullable: true })
  filter?: CitationFilter | null;

  @Field(() => CitationOrder, { nullable: true, description: 'Default: most credible first.' })
  orderBy?: InstanceType<typeof CitationOrder> | null;
}
