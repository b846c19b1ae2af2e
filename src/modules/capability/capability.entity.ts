import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { QUANTITY_HAS_VALUE, QUANTITY_ORDERED, trimmedText } from '../../common/checks';
import { Item, Node } from '../../common/columns';
import { Quantity } from '../../common/quantity';
import { Assertion } from '../assertion/assertion.entity';
import { Actor } from '../actor/actor.entity';

export enum CapabilityCategory {
  MANPOWER = 'MANPOWER',
  TRAINING = 'TRAINING',
  TACTICS = 'TACTICS',
  SPECIAL_OPERATIONS = 'SPECIAL_OPERATIONS',
  EQUIPMENT = 'EQUIPMENT',
  RESILIENCE = 'RESILIENCE',
  EXPERIENCE = 'EXPERIENCE',
  LOGISTICS = 'LOGISTICS',
  ECONOMIC = 'ECONOMIC',
  DIPLOMATIC = 'DIPLOMATIC',
}

registerEnumType(CapabilityCategory, {
  name: 'CapabilityCategory',
  description: 'What kind of capability: manpower, training, tactics, special operations, equipment ...',
});

@Entity()
@Check('statement_not_blank', trimmedText('statement'))
@Check('quantity_ordered', QUANTITY_ORDERED)
@Check('quantity_has_value', QUANTITY_HAS_VALUE)
@ObjectType({
  implements: [Node, Item, Assertion],
  simpleResolvers: true,
  description: 'What an actor can do or has ("1.2 million active-duty soldiers", "trained in guerrilla tactics").',
})
export class Capability extends Assertion {
  @Index()
  @Column('uuid')
  actorId: string;

  @Field(() => Actor, { nullable: true, description: 'Whose capability; null when the actor is above your clearance.' })
  @ManyToOne(() => Actor, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'actor_id' })
  actor: Actor;

  @Field(() => CapabilityCategory, { description: 'What kind of capability.' })
  @Column({ type: 'enum', enum: CapabilityCategory, enumName: 'capability_category' })
  category: CapabilityCategory;

  @Field({ description: 'The capability in one plain sentence.' })
  @Column('text')
  statement: string;

  @Field(() => Quantity, { nullable: true, description: 'The number behind it, as a range, when there is one.' })
  @Column(() => Quantity)
  quantity: Quantity;
}
