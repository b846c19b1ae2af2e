import { Field, ID, InputType } from 'type-graphql';
import { LocalDate } from '../../common/local-date';
import { QuantityInput } from '../../common/quantity.inputs';
import { NewStatementFields, StatementAccessPatch } from '../assertion/statement.write-inputs';
import { Confidence, ImplicationScope, Likelihood, TimeHorizon } from './judgment-scales';

@InputType({ description: 'A new analytic judgment and the sources behind it. Leave out what the source does not give: it is shown as not assessed.' })
export class ImplicationInput extends NewStatementFields {
  @Field({ description: 'The judgment, without likelihood words (those go in `likelihood`).' })
  statement: string;

  @Field(() => Likelihood, { description: 'ICD 203 likelihood.' })
  likelihood: Likelihood;

  @Field(() => Confidence, { nullable: true, description: 'Analytic confidence, apart from the likelihood; not assessed when not given.' })
  confidence?: Confidence | null;

  @Field(() => ImplicationScope, { nullable: true, description: 'Where it bears; not assessed when not given.' })
  scope?: ImplicationScope | null;

  @Field(() => TimeHorizon, { nullable: true, description: 'When it bears; not assessed when not given.' })
  horizon?: TimeHorizon | null;

  @Field(() => [ID], { nullable: true, description: 'Actors it bears on; not assessed when none are given.' })
  affectedActors?: string[] | null;

  @Field(() => LocalDate, { nullable: true, description: 'The day the judgment holds at (or was made).' })
  asOf?: string | null;

  @Field(() => QuantityInput, { nullable: true, description: 'The number the judgment gives, as a range or an exact count.' })
  quantity?: QuantityInput | null;
}

@InputType({ description: 'Changes to a judgment: fields not given stay as they are; null removes an optional one (it is then not assessed).' })
export class ImplicationPatch extends StatementAccessPatch {
  @Field(() => String, { nullable: true, description: 'New statement.' })
  statement?: string | null;

  @Field(() => Likelihood, { nullable: true, description: 'New likelihood.' })
  likelihood?: Likelihood | null;

  @Field(() => Confidence, { nullable: true, description: 'New confidence (null: not assessed).' })
  confidence?: Confidence | null;

  @Field(() => ImplicationScope, { nullable: true, description: 'New scope (null: not assessed).' })
  scope?: ImplicationScope | null;

  @Field(() => TimeHorizon, { nullable: true, description: 'New horizon (null: not assessed).' })
  horizon?: TimeHorizon | null;

  @Field(() => LocalDate, { nullable: true, description: 'New as-of day (null removes it).' })
  asOf?: string | null;

  @Field(() => QuantityInput, { nullable: true, description: 'New number (null removes it).' })
  quantity?: QuantityInput | null;
}
