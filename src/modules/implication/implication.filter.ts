import { Field, ID, InputType } from 'type-graphql';
import { LocalDate } from '../../common/local-date';
import { AssertionFilter } from '../assertion/assertion.inputs';
import { Confidence, ImplicationScope, Likelihood, TimeHorizon } from './judgment-scales';

@InputType({ description: 'Narrows a list of judgments; all conditions must hold.' })
export class ImplicationFilter extends AssertionFilter {
  @Field(() => ID, { nullable: true, description: 'Only judgments that bear on this actor.' })
  actor?: string | null;

  @Field(() => Likelihood, { nullable: true, description: 'Only judgments at least this likely.' })
  likelihoodAtLeast?: Likelihood | null;

  @Field(() => Confidence, { nullable: true, description: 'Only judgments held with at least this confidence (not those whose confidence is not assessed).' })
  confidenceAtLeast?: Confidence | null;

  @Field(() => [ImplicationScope], { nullable: true, description: 'Only these scopes.' })
  scopes?: ImplicationScope[] | null;

  @Field(() => [TimeHorizon], { nullable: true, description: 'Only these time horizons.' })
  horizons?: TimeHorizon[] | null;

  @Field(() => LocalDate, { nullable: true, description: 'Only judgments as of this day or later (those with an as-of day).' })
  asOfFrom?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Only judgments as of this day or earlier (those with an as-of day).' })
  asOfTo?: string | null;
}
