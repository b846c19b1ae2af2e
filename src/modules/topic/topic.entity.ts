import { Check, Column, Entity, JoinTable, ManyToMany } from 'typeorm';
import { Field, ObjectType } from 'type-graphql';
import { LocalDate } from '../../common/local-date';
import { trimmedText } from '../../common/checks';
import { Item, Node } from '../../common/columns';
import { Actor } from '../actor/actor.entity';
import { orderIndexes } from '../../db/order-index';

@Entity()
@orderIndexes('topic', ['title', 'starts_on', 'created_at', 'updated_at'])
// Slugs are the fixture keys: lowercase kebab-case.
@Check('topic_slug_format', `slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'`)
@Check('title_not_blank', trimmedText('title'))
@Check('summary_not_blank', trimmedText('summary'))
@Check('topic_period_ordered', 'starts_on <= ends_on')
@ObjectType({
  implements: [Node, Item],
  simpleResolvers: true,
  description: 'A situation under watch ("North Korean troop deployment to Russia, 2024"), holding its actors and assertions.',
})
export class Topic extends Item {
  @Field({ description: 'Stable, URL-friendly name: `topic(slug:)` finds the topic by it.' })
  @Column('text', { unique: true })
  slug: string;

  @Field({ description: 'Headline of the situation.' })
  @Column('text')
  title: string;

  @Field({ description: 'A few neutral sentences on what the topic covers.' })
  @Column('text')
  summary: string;

  @Field(() => LocalDate, { nullable: true, description: 'When the situation under watch began.' })
  @Column('date', { nullable: true })
  startsOn: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'When it ended; null while it goes on.' })
  @Column('date', { nullable: true })
  endsOn: string | null;

  @ManyToMany(() => Actor)
  @JoinTable({ name: 'topic_actor' })
  actors: Actor[];
}
