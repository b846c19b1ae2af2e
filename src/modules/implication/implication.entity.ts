import { Check, Column, Entity, JoinTable, ManyToMany } from 'typeorm';
import { Field, ObjectType } from 'type-graphql';
import { trimmedText } from '../../common/checks';
import { Item, Node } from '../../common/columns';
import { Assertion } from '../assertion/assertion.entity';
import { Actor } from '../actor/actor.entity';
import { Confidence, ImplicationScope, Likelihood, TimeHorizon } from './judgment-scales';

@Entity()
@Check('statement_not_blank', trimmedText('statement'))
@ObjectType({
  implements: [Node, Item, Assertion],
  simpleResolvers: true,
  description: 'An analytic judgment of what the situation means, with an ICD 203 likelihood and, separately, an analytic confidence.',
})
export class Implication extends Assertion {
  @Field({ description: 'The judgment, without likelihood words: those are in `likelihood`.' })
  @Column('text')
  statement: string;

  @Field(() => Likelihood, { description: 'ICD 203 likelihood of the judgment.' })
  @Column({ type: 'enum', enum: Likelihood, enumName: 'likelihood' })
  likelihood: Likelihood;

  @Field(() => Confidence, { description: 'Analytic confidence in the judgment, separate from its likelihood.' })
  @Column({ type: 'enum', enum: Confidence, enumName: 'analytic_confidence' })
  confidence: Confidence;

  @Field(() => ImplicationScope, { description: 'Where the judgment bears.' })
  @Column({ type: 'enum', enum: ImplicationScope, enumName: 'implication_scope' })
  scope: ImplicationScope;

  @Field(() => TimeHorizon, { description: 'When the judgment bears.' })
  @Column({ type: 'enum', enum: TimeHorizon, enumName: 'time_horizon' })
  horizon: TimeHorizon;

  @Field(() => [Actor], { description: 'The actors the judgment bears on (those you may see).' })
  @ManyToMany(() => Actor)
  @JoinTable({ name: 'implication_actor' })
  affectedActors: Actor[];
}
