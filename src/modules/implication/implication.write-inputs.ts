import { Field, ID, InputType } from 'type-graphql';
import { Marking } from '../../common/marking';
import { CitationInput } from '../citation/citation.write-inputs';
import { Confidence, ImplicationScope, Likelihood, TimeHorizon } from './judgment-scales';

@InputType({ description: 'A new analytic judgment and the sources behind it.' })
export class ImplicationInput {
  @Field({ description: 'Slug of its topic.' })
  topic: string;

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

  @Field(() => Marking, { nullable: true, description: 'TLP marking; CLEAR when not given, never above your clearance.' })
  marking?: Marking | null;

  @Field(() => [String], { nullable: true, description: 'For RED: the principals it is shared with (you are always one).' })
  audience?: string[] | null;

  @Field(() => [CitationInput], { description: 'At least one source.' })
  citations: CitationInput[];
}

@InputType({ description: 'Changes to a judgment: fields not given stay as they are.' })
export class ImplicationPatch {
  @Field(() => String, { nullable: true, description: 'New statement.' })
  statement?: string | null;

  @Field(() => Likelihood, { nullable: true, description: 'New likelihood.' })
  likelihood?: Likelihood | null;

  @Field(() => Confidence, { nullable: true, description: 'New confidence.' })
  confidence?: Confidence | null;

  @Field(() => Marking, { nullable: true, description: 'New marking, never above your clearance.' })
  marking?: Marking | null;

  @Field(() => [String], { nullable: true, description: 'New audience, for RED.' })
  audience?: string[] | null;
}

