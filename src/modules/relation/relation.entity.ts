import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { Field, ObjectType } from 'type-graphql';
import { LocalDate } from '../../common/local-date';
import { Item, Node } from '../../common/columns';
import { Assertion } from '../assertion/assertion.entity';
import { Actor } from '../actor/actor.entity';
import { ofVocabulary, Vocabulary } from '../vocabulary/vocabularies';
import { orderIndexes } from '../../db/order-index';

@Entity()
@orderIndexes('actor_relation', ['type', 'valid_from', 'created_at', 'updated_at'])
@Check('relation_validity_ordered', 'valid_from <= valid_to')
@Check('relation_distinct_actors', 'from_actor_id <> to_actor_id')
@ObjectType({
  implements: [Node, Item, Assertion],
  simpleResolvers: true,
  description: 'A relation between two actors over a period ("treaty partner since 2024-10-24").',
})
export class ActorRelation extends Assertion {
  @Index()
  @Column('uuid')
  fromActorId: string;

  @Field(() => Actor, { nullable: true, description: 'Subject of the relation; null when above your clearance.' })
  @ManyToOne(() => Actor, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'from_actor_id' })
  from: Actor;

  @Index()
  @Column('uuid')
  toActorId: string;

  @Field(() => Actor, { nullable: true, description: 'Object of the relation; null when above your clearance.' })
  @ManyToOne(() => Actor, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'to_actor_id' })
  to: Actor;

  @Field(() => String, {
    description: ofVocabulary(Vocabulary.RELATION_TYPE, 'How `from` stands to `to`, read as "from TYPE to" (Russia TREATY_PARTNER_OF DPRK).'),
  })
  @Column('text')
  type: string;

  @Field(() => LocalDate, { nullable: true, description: 'First day the relation holds, when known.' })
  @Column('date', { nullable: true })
  validFrom: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Last day it holds; null while it goes on.' })
  @Column('date', { nullable: true })
  validTo: string | null;

  @Field(() => String, { nullable: true, description: 'The relation in a sentence.' })
  @Column('text', { nullable: true })
  description: string | null;
}
