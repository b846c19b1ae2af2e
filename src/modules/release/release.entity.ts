import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import { trimmedText } from '../../common/checks';
import { Marking, MARKINGS } from '../../common/marking';

/** One release decision: an item made readable by more people than before, by whom, and why. Never changed. */
@Entity()
@Check('release_reason_given', trimmedText('reason'))
@ObjectType({ description: 'A release decision: a marking lowered or an audience widened, by whom, when and why.' })
export class Release {
  @Field(() => ID, { description: 'Id of the decision.' })
  @PrimaryColumn('uuid')
  id: string;

  /** The table of the released item. */
  @Column('text')
  itemTable: string;

  @Index()
  @Column('uuid')
  itemId: string;

  @Field(() => ID, { description: 'Global id of the released item.' })
  item: string;

  @Field(() => Marking, { description: 'Marking before the release.' })
  @Column({ type: 'enum', enum: MARKINGS, enumName: 'tlp_marking' })
  fromMarking: Marking;

  @Field(() => Marking, { description: 'Marking after the release.' })
  @Column({ type: 'enum', enum: MARKINGS, enumName: 'tlp_marking' })
  toMarking: Marking;

  @Field(() => String, { nullable: true, description: 'Organisation of the item before the release.' })
  @Column('text', { nullable: true })
  fromOrganisation: string | null;

  @Field(() => String, { nullable: true, description: 'Organisation of the item after the release.' })
  @Column('text', { nullable: true })
  toOrganisation: string | null;

  @Field(() => [String], { description: 'RED audience before the release.' })
  @Column('text', { array: true })
  fromAudience: string[];

  @Field(() => [String], { description: 'RED audience after the release.' })
  @Column('text', { array: true })
  toAudience: string[];

  @Field({ description: 'Why it was released, in the releaser’s words.' })
  @Column('text')
  reason: string;

  @Field({ description: 'Principal who released it.' })
  @Column('text')
  releasedBy: string;

  @Field(() => GraphQLDateTime, { description: 'When it was released.' })
  @CreateDateColumn({ type: 'timestamptz' })
  releasedAt: Date;
}
