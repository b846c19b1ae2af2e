import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { Field, Int, ObjectType } from 'type-graphql';
import { trimmedText } from '../../common/checks';
import { Item, Node } from '../../common/columns';
import { Source } from '../source/source.entity';
import { Assertion } from '../assertion/assertion.entity';
import { ReportingVerb } from './reporting-verb';
// Type-only imports, and relations named by string: the statement entities extend Assertion, which imports this file.
import type { Capability } from '../capability/capability.entity';
import type { Challenge } from '../challenge/challenge.entity';
import type { Implication } from '../implication/implication.entity';
import type { Event } from '../event/event.entity';
import type { ActorRelation } from '../relation/relation.entity';

/** The statement a citation supports: exactly one of these columns is set. */
export const CITED_COLUMNS = ['capability_id', 'challenge_id', 'implication_id', 'event_id', 'relation_id'] as const;

@Entity()
@Check('citation_cites_one_statement', `num_nonnulls(${CITED_COLUMNS.join(', ')}) = 1`)
@Check('citation_credibility_range', 'credibility BETWEEN 1 AND 6')
@Check('quote_not_blank', trimmedText('quote'))
@ObjectType({
  implements: [Node, Item],
  simpleResolvers: true,
  description:
    'Ties one statement to one source: the reporting verb the source used, its words, and the credibility (1-6) of that information.',
})
export class Citation extends Item {
  @Index()
  @Column('uuid')
  sourceId: string;

  @Field(() => Source, { nullable: true, description: 'The source: a citation is shown only to readers of its source and its statement.' })
  @ManyToOne(() => Source, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'source_id' })
  source: Source;

  @Field(() => ReportingVerb, { description: 'How the source put it: states, assesses, reports, alleges, denies ...' })
  @Column({ type: 'enum', enum: ReportingVerb, enumName: 'reporting_verb' })
  verb: ReportingVerb;

  @Field({ description: "The source's own words." })
  @Column('text')
  quote: string;

  @Field(() => Int, {
    description:
      'Admiralty credibility of this information: 1 confirmed by other sources, 2 probably true, 3 possibly true, 4 doubtful, 5 improbable, 6 cannot be judged.',
  })
  @Column('smallint')
  credibility: number;

  @Field(() => Assertion, { nullable: true, description: 'The statement this citation supports; null when above your clearance.' })
  statement: Assertion | null;

  // One foreign key per statement table (a citation dies with its statement).
  @Index() @Column('uuid', { nullable: true }) capabilityId: string | null;
  @ManyToOne('Capability', { onDelete: 'CASCADE' }) @JoinColumn({ name: 'capability_id' }) capability?: Capability;

  @Index() @Column('uuid', { nullable: true }) challengeId: string | null;
  @ManyToOne('Challenge', { onDelete: 'CASCADE' }) @JoinColumn({ name: 'challenge_id' }) challenge?: Challenge;

  @Index() @Column('uuid', { nullable: true }) implicationId: string | null;
  @ManyToOne('Implication', { onDelete: 'CASCADE' }) @JoinColumn({ name: 'implication_id' }) implication?: Implication;

  @Index() @Column('uuid', { nullable: true }) eventId: string | null;
  @ManyToOne('Event', { onDelete: 'CASCADE' }) @JoinColumn({ name: 'event_id' }) event?: Event;

  @Index() @Column('uuid', { nullable: true }) relationId: string | null;
  @ManyToOne('ActorRelation', { onDelete: 'CASCADE' }) @JoinColumn({ name: 'relation_id' }) relation?: ActorRelation;
}
