import { Check, Column, Entity, Index, JoinTable, ManyToMany } from 'typeorm';
import { Field, ObjectType } from 'type-graphql';
import { QUANTITY_EXACT_ONE_VALUE, QUANTITY_HAS_VALUE, QUANTITY_ORDERED, trimmedText } from '../../common/checks';
import { Item, Node } from '../../common/columns';
import { LocalDate } from '../../common/local-date';
import { Quantity } from '../../common/quantity';
import { Assertion } from '../assertion/assertion.entity';
import { Actor } from '../actor/actor.entity';
import { Confidence, ImplicationScope, Likelihood, TimeHorizon } from './judgment-scales';
import { orderIndexes } from '../../db/order-index';

// A source often gives a judgment without its confidence, scope, horizon or the actors it bears on: those stay
// absent (null, or no actors) and a brief says "not assessed", rather than inventing them. The likelihood is the
// judgment itself (ICD 203) and is always given.
@Entity()
@orderIndexes('implication', ['likelihood', 'confidence', 'as_of', 'created_at', 'updated_at'])
@Check('statement_not_blank', trimmedText('statement'))
@Check('quantity_ordered', QUANTITY_ORDERED)
@Check('quantity_has_value', QUANTITY_HAS_VALUE)
@Check('quantity_exact_one_value', QUANTITY_EXACT_ONE_VALUE)
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

  @Field(() => Confidence, { nullable: true, description: 'Analytic confidence in the judgment, separate from its likelihood; null when not assessed.' })
  @Column({ type: 'enum', enum: Confidence, enumName: 'analytic_confidence', nullable: true })
  confidence: Confidence | null;

  @Field(() => ImplicationScope, { nullable: true, description: 'Where the judgment bears; null when not assessed.' })
  @Column({ type: 'enum', enum: ImplicationScope, enumName: 'implication_scope', nullable: true })
  scope: ImplicationScope | null;

  @Field(() => TimeHorizon, { nullable: true, description: 'When the judgment bears; null when not assessed.' })
  @Column({ type: 'enum', enum: TimeHorizon, enumName: 'time_horizon', nullable: true })
  horizon: TimeHorizon | null;

  @Field(() => LocalDate, { nullable: true, description: 'The day the judgment holds at (or was made), when the source gives one.' })
  @Index()
  @Column('date', { nullable: true })
  asOf: string | null;

  @Field(() => Quantity, { nullable: true, description: 'The number the judgment gives ("up to 10,000 more troops"), as a range or an exact count.' })
  @Column(() => Quantity)
  quantity: Quantity;

  @Field(() => [Actor], { description: 'The actors the judgment bears on (those you may see); empty when not assessed.' })
  @ManyToMany(() => Actor)
  @JoinTable({ name: 'implication_actor' })
  affectedActors: Actor[];
}
