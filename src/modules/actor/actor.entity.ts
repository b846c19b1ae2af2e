import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { Field, ObjectType } from 'type-graphql';
import { COUNTRY_CODE_FORMAT, trimmedText } from '../../common/checks';
import { Item, Node } from '../../common/columns';
import { ofVocabulary, Vocabulary } from '../vocabulary/vocabularies';
import { ExternalId } from './external-id';
import { orderIndexes } from '../../db/order-index';

@Entity()
@orderIndexes('actor', ['name', 'created_at', 'updated_at'])
@Check('name_not_blank', trimmedText('name'))
@Check('country_code_format', COUNTRY_CODE_FORMAT)
@Check('actor_not_own_parent', 'parent_id <> id')
@ObjectType({
  implements: [Node, Item],
  simpleResolvers: true,
  description: 'A state, armed force, unit, government body, alliance, organisation, company, armed group, vessel, person or media outlet.',
})
export class Actor extends Item {
  @Field({ description: 'Usual name.' })
  @Column('text')
  name: string;

  @Field(() => String, { description: ofVocabulary(Vocabulary.ACTOR_KIND, 'What sort of actor this is.') })
  @Column('text')
  kind: string;

  @Field(() => [String], { description: 'Other names the actor goes by (DPRK = North Korea).' })
  @Column('text', { array: true, default: () => "'{}'" })
  aliases: string[];

  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2 code of the country the actor belongs to.' })
  @Column('char', { length: 2, nullable: true })
  countryCode: string | null;

  @Field(() => String, { nullable: true, description: 'Who or what the actor is, in a sentence.' })
  @Column('text', { nullable: true })
  description: string | null;

  @Field(() => [ExternalId], { description: 'Its identifiers in registers (Wikidata, LEI, IMO ...): each names this actor alone.' })
  @Column('jsonb', { default: () => "'[]'" })
  externalIds: ExternalId[];

  @Index()
  @Column('uuid', { nullable: true })
  parentId: string | null;

  @Field(() => Actor, {
    nullable: true,
    description: 'The actor this one is part of (a division of an army, an agency of a ministry); null when none or above your clearance.',
  })
  @ManyToOne(() => Actor, { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'parent_id' })
  parent: Actor | null;
}
