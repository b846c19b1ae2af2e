import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Check, Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn, Unique } from 'typeorm';
import { ORGANISATION_FORMAT } from '../../common/checks';
import { ITEM_ACCESS_DECIDABLE, Node } from '../../common/columns';
import { Marking, MARKINGS } from '../../common/marking';
import { Brief } from '../brief/brief.types';
import type { BriefScope } from '../brief/brief.scope';
import { BriefDefinition } from '../brief-definition/brief-definition.entity';
import { BriefDelta, type Snapshot } from './brief-delta.types';
import type { RunContents } from './run-contents';

export enum BriefRunStatus {
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
  MISSED = 'MISSED',
}
registerEnumType(BriefRunStatus, {
  name: 'BriefRunStatus',
  description: 'Where a scheduled run stands.',
  valuesConfig: {
    QUEUED: { description: 'Due and queued for a worker.' },
    RUNNING: { description: 'A worker is composing it.' },
    SUCCEEDED: { description: 'Composed and stored.' },
    FAILED: { description: 'Composing failed; `error` says why. The queue retries it a few times.' },
    MISSED: { description: 'Fell due while no instance was running; a later occurrence was run in its place.' },
  },
});

@Entity()
@Check('item_access_decidable', ITEM_ACCESS_DECIDABLE)
@Check('organisation_format', ORGANISATION_FORMAT)
@Unique('brief_run_once', ['definitionId', 'scheduledFor'])
@ObjectType({
  implements: Node,
  description:
    'One scheduled run of a brief definition: its outputs, their hash, and what changed since the run before. Fetchable with `node(id:)` and `briefRun(id:)`.',
})
export class BriefRun {
  @Field(() => ID, { description: 'Global id of the run, usable with `node(id:)` and `briefRun(id:)`.' })
  @PrimaryColumn('uuid')
  id: string;

  // No index of its own: the unique (definition_id, scheduled_for) constraint serves lookups by definition.
  @Column('uuid')
  definitionId: string;

  @Field(() => BriefDefinition, { description: 'The definition it ran.' })
  @ManyToOne(() => BriefDefinition, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'definition_id' })
  definition: BriefDefinition;

  /** The brief input it was composed with (the definition's at the time), so deltas compare like with like. */
  @Column('jsonb', { nullable: true })
  input: BriefScope | null;

  @Field(() => GraphQLDateTime, { description: 'The schedule occurrence it is for: at most one run per occurrence.' })
  @Column('timestamptz')
  scheduledFor: Date;

  @Field(() => BriefRunStatus, { description: 'Where the run stands.' })
  @Column({ type: 'enum', enum: BriefRunStatus, enumName: 'brief_run_status' })
  status: BriefRunStatus;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'When a worker started it.' })
  @Column('timestamptz', { nullable: true })
  startedAt: Date | null;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'When it finished, well or not.' })
  @Column('timestamptz', { nullable: true })
  finishedAt: Date | null;

  @Field(() => Marking, { description: 'Marking of the brief it produced: only readers cleared for it see the run.' })
  @Column({ type: 'enum', enum: MARKINGS, enumName: 'tlp_marking', default: 'CLEAR' })
  marking: Marking;

  /** Copied from the definition: who may see the run besides clearance (AMBER+STRICT, RED). */
  @Column('text', { nullable: true })
  organisation: string | null;

  @Column('text', { array: true, default: () => "'{}'" })
  audience: string[];

  @Field(() => String, { nullable: true, description: 'SHA-256 of the Markdown: an equal hash means an unchanged brief.' })
  @Column('text', { nullable: true })
  contentHash: string | null;

  @Field(() => String, { nullable: true, description: 'The brief in Markdown, when the definition keeps it.' })
  @Column('text', { nullable: true })
  markdown: string | null;

  @Field(() => String, { nullable: true, description: 'The brief as HTML, when the definition keeps it.' })
  @Column('text', { nullable: true })
  html: string | null;

  @Field(() => Brief, { nullable: true, description: 'The typed brief, when the definition keeps JSON.' })
  @Column('jsonb', { nullable: true })
  brief: Brief | null;

  /** Ids of everything it shows, by table: readers see the run only while all of it is within their clearance. */
  @Column('jsonb', { nullable: true })
  contents: RunContents | null;

  /** Token of the attempt composing it: only that attempt may write the result. */
  @Column('uuid', { nullable: true })
  attempt: string | null;

  /** Until when the attempt composing it holds it; the attempt renews it while alive, and then another may take over. */
  @Column('timestamptz', { nullable: true })
  leaseExpiresAt: Date | null;

  /** Fingerprints of the statements it carried, for the next run's delta. */
  @Column('jsonb', { nullable: true })
  snapshot: Snapshot | null;

  @Field(() => BriefDelta, { nullable: true, description: 'What changed since the previous successful run; null for the first.' })
  @Column('jsonb', { nullable: true })
  delta: BriefDelta | null;

  @Field(() => String, { nullable: true, description: 'Why it failed.' })
  @Column('text', { nullable: true })
  error: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
