import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { Field, ObjectType } from 'type-graphql';
import { LocalDate } from '../../common/local-date';
import { trimmedText } from '../../common/checks';
import { Item, Node } from '../../common/columns';
import { Actor } from '../actor/actor.entity';
import { Reliability } from './source-grades';
import { ofVocabulary, Vocabulary } from '../vocabulary/vocabularies';
import { orderIndexes } from '../../db/order-index';

@Entity()
@orderIndexes('source', ['name', 'published_on', 'reliability', 'created_at', 'updated_at'])
@Check('name_not_blank', trimmedText('name'))
@Check('source_relays_another', 'relays_id <> id')
@ObjectType({
  implements: [Node, Item],
  simpleResolvers: true,
  description: 'A document or channel that statements are cited to, graded for reliability (A-F).',
})
export class Source extends Item {
  @Field({ description: 'Title of the document or channel.' })
  @Column('text')
  name: string;

  @Field(() => String, { description: ofVocabulary(Vocabulary.SOURCE_KIND, 'What sort of document or channel it is.') })
  @Column('text')
  kind: string;

  @Index()
  @Column('uuid', { nullable: true })
  publisherId: string | null;

  @Field(() => Actor, { nullable: true, description: 'Who published it; null when unknown or above your clearance.' })
  @ManyToOne(() => Actor, { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'publisher_id' })
  publisher: Actor | null;

  @Index()
  @Column('uuid', { nullable: true })
  relaysId: string | null;

  // A relay read by someone who may not see its original reads as original reporting (see brief.evidence.ts).
  @Field(() => Source, {
    nullable: true,
    description:
      'The original source whose reporting this one passes on (a news site relaying an intelligence update); null when it reports in its own right, or when the original is above your clearance.',
  })
  @ManyToOne(() => Source, { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'relays_id' })
  relays: Source | null;

  @Field(() => String, { nullable: true, description: 'Where to read it, when it has an address.' })
  @Column('text', { nullable: true })
  url: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Publication date, when known.' })
  @Column('date', { nullable: true })
  publishedOn: string | null;

  @Field(() => Reliability, { description: 'Admiralty reliability grade of the source (A-F).' })
  @Column({ type: 'enum', enum: Reliability, enumName: 'source_reliability' })
  reliability: Reliability;

  @Field(() => String, { nullable: true, description: 'What the source is, and why it has its grade.' })
  @Column('text', { nullable: true })
  description: string | null;
}
