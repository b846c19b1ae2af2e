import { ArgsType, Field, ID, InputType, registerEnumType } from 'type-graphql';
import { orderInputOf, PageArgs } from '../../common/pagination';
import { AssertionFilter } from '../assertion/assertion.inputs';
import { Confidence, ImplicationScope, Likelihood, TimeHorizon } from './judgment-scales';

export enum ImplicationOrderField {
  LIKELIHOOD = 'LIKELIHOOD',
  CONFIDENCE = 'CONFIDENCE',
  CREATED_AT = 'CREATED_AT',
  UPDATED_AT = 'UPDATED_AT',
}
registerEnumType(ImplicationOrderField, { name: 'ImplicationOrderField', description: 'What to order judgments by.' });

export const ImplicationOrder = orderInputOf(ImplicationOrderField, 'Implication');

@InputType({ description: 'Narrows a list of judgments; all conditions must hold.' })
export class ImplicationFilter extends AssertionFilter {
  @Field(() => ID, { nullable: true, description: 'Only judgments that bear on this actor.' })
  actor?: string | null;

  @Field(() => Likelihood, { nullable: true, description: 'Only judgments at least this likely.' })
  likelihoodAtLeast?: Likelihood | null;

  @Field(() => Confidence, { nullable: true, description: 'Only judgments held with at least this confidence.' })
  confidenceAtLeast?: Confidence | null;

  @Field(() => [ImplicationScope], { nullable: true, description: 'Only these scopes.' })
  scopes?: ImplicationScope[] | null;

  @Field(() => [TimeHorizon], { nullable: true, description: 'Only these time horizons.' })
  horizons?: TimeHorizon[] | null;
}

@ArgsType()
export class ImplicationConnectionArgs extends PageArgs {
  @Field(() => ImplicationFilter, { nullable: true })
  filter?: ImplicationFilter | null;

  @Field(() => ImplicationOrder, { nullable: true, description: 'Default: most likely first.' })
  orderBy?: InstanceType<typeof ImplicationOrder> | null;
}
