import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { QUANTITY_HAS_VALUE, QUANTITY_ORDERED, trimmedText } from '../../common/checks';
import { Item, Node } from '../../common/columns';
import { Quantity } from '../../common/quantity';
import { Assertion } from '../assertion/assertion.entity';
import { Actor } from '../actor/actor.entity';

export enum ChallengeCategory {
  LANGUAGE = 'LANGUAGE',
  INTEROPERABILITY = 'INTEROPERABILITY',
  EQUIPMENT_FAMILIARITY = 'EQUIPMENT_FAMILIARITY',
  TRAINING = 'TRAINING',
  COMMAND_AND_CONTROL = 'COMMAND_AND_CONTROL',
  LOGISTICS = 'LOGISTICS',
  EXPERIENCE = 'EXPERIENCE',
  ECONOMIC = 'ECONOMIC',
  DIPLOMATIC = 'DIPLOMATIC',
  MORALE = 'MORALE',
}

registerEnumType(ChallengeCategory, {
  name: 'ChallengeCategory',
  description: 'What kind of obstacle: language, interoperability, equipment familiarity, command and control ...',
});

@Entity()
@Check('statement_not_blank', trimmedText('statement'))
@Check('quantity_ordered', QUANTITY_ORDERED)
@Check('quantity_has_value', QUANTITY_HAS_VALUE)
@ObjectType({
  implements: [Node, Item, Assertion],
  simpleResolvers: true,
  description: 'What holds an actor back ("few soldiers speak Russian").',
})
export class Challenge extends Assertion {
  @Index()
  @Column('uuid')
  actorId: string;

  @Field(() => Actor, { nullable: true, description: 'Who faces it; null when the actor is above your clearance.' })
  @ManyToOne(() => Actor, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'actor_id' })
  actor: Actor;

  @Field(() => ChallengeCategory, { description: 'What kind of obstacle.' })
  @Column({ type: 'enum', enum: ChallengeCategory, enumName: 'challenge_category' })
  category: ChallengeCategory;

  @Field({ description: 'The challenge in one plain sentence.' })
  @Column('text')
  statement: string;

  @Field(() => Quantity, { nullable: true, description: 'The number behind it, as a range, when there is one.' })
  @Column(() => Quantity)
  quantity: Quantity;
}
