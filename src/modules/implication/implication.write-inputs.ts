import { Field, ID, InputType } from 'type-graphql';
import { NewStatementFields, StatementAccessPatch } from '../assertion/statement.write-inputs';
import { Confidence, ImplicationScope, Likelihood, TimeHorizon } from './judgment-scales';

@InputType({ description: 'A new analytic judgment and the sources behind it.' })
export class ImplicationInput extends NewStatementFields {
  @Field({ description: 'The judgment, without likelihood words (those go in `likelihood`).' })
  statement: string;

  @Field(() => Likelihood, { description: 'ICD 203 likelihood.' })
  likelihood: Likelihood;

  @Field(() => Confidence, { description: 'Analytic confidence, apart from the likelihood.' })
  confidence: Confidence;

  @Field(() => ImplicationScope, { description: 'Where it bears.' })
  scope: ImplicationScope;

  @Field(() => TimeHorizon, { description: 'When it bears.' })
  horizon: TimeHorizon;

  @Field(() => [ID], { nullable: true, description: 'Actors it bears on.' })
  affectedActors?: string[] | null;
}

@InputType({ description: 'Changes to a judgment: fields not given stay as they are.' })
export class ImplicationPatch extends StatementAccessPatch {
  @Field(() => String, { nullable: true, description: 'New statement.' })
  statement?: string | null;

  @Field(() => Likelihood, { nullable: true, description: 'New likelihood.' })
  likelihood?: Likelihood | null;

  @Field(() => Confidence, { nullable: true, description: 'New confidence.' })
  confidence?: Confidence | null;
}
