import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Unique } from 'typeorm';
import { Marking, MARKINGS } from '../../common/marking';
import { BriefDefinition } from '../brief-definition/brief-definition.entity';
import { BriefRun } from '../brief-run/brief-run.entity';
import type { Snapshot } from '../brief-run/brief-delta.types';
import type { RunContents } from '../brief-run/run-contents';

export enum DeliveryKind {
  WEBHOOK = 'WEBHOOK',
  EMAIL = 'EMAIL',
}
registerEnumType(DeliveryKind, { name: 'DeliveryKind', description: 'How a brief leaves Dossier: a signed HTTPS POST, or an e-mail.' });

export enum DeliveryState {
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  FAILED = 'FAILED',
  SKIPPED_UNCHANGED = 'SKIPPED_UNCHANGED',
}
registerEnumType(DeliveryState, {
  name: 'DeliveryState',
  description: 'Where one delivery of a run stands.',
  valuesConfig: {
    PENDING: { description: 'Not delivered yet: queued, or waiting for its next attempt (see `attempts` and `error`).' },
    DELIVERED: { description: 'Accepted by the receiver (a 2xx answer) or the SMTP server.' },
    FAILED: { description: 'Given up: a permanent refusal, or every attempt failed; `error` says why.' },
    SKIPPED_UNCHANGED: { description: 'Not sent: `onlyWhenChanged` is set and the content equals what this target last received.' },
  },
});

/** Only markings Dossier can hand to a receiver it cannot see into: AMBER+STRICT and RED stay inside. */
export const DELIVERABLE_MARKINGS = [Marking.CLEAR, Marking.GREEN, Marking.AMBER] as const;

@Entity()
@Check('delivery_target_kind_fields', `(kind = 'WEBHOOK' AND url IS NOT NULL AND secret IS NOT NULL) OR (kind = 'EMAIL' AND cardinality(recipients) > 0)`)
@Check('delivery_target_deliverable', `clearance <= 'AMBER'::tlp_marking`)
@ObjectType({ description: 'Where the runs of a brief definition are delivered, and the highest marking they may carry there.' })
export class DeliveryTarget {
  @Field(() => ID, { description: 'Global id of the target.' })
  @PrimaryColumn('uuid')
  id: string;

  @Index()
  @Column('uuid')
  definitionId: string;

  @ManyToOne(() => BriefDefinition, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'definition_id' })
  definition: BriefDefinition;

  @Field(() => DeliveryKind, { description: 'Webhook or e-mail.' })
  @Column({ type: 'enum', enum: DeliveryKind, enumName: 'delivery_kind' })
  kind: DeliveryKind;

  /** The webhook's full URL; only `target` (without query string) is shown. */
  @Column('text', { nullable: true })
  url: string | null;

  /** The key webhook bodies are signed with: shown once, when made, and never readable again. */
  @Column('text', { nullable: true })
  secret: string | null;

  @Field(() => [String], { description: 'E-mail recipients; empty for a webhook. Shown as …@domain except to reporters and admins of its organisation.' })
  @Column('text', { array: true, default: () => "'{}'" })
  recipients: string[];

  @Field({
    description:
      'Where it goes, as shown: the webhook URL without its query string, or the recipients; to readers who do not manage it (reporters and admins of its organisation), only the URL’s origin or masked recipients.',
  })
  @Column('text')
  label: string;

  @Field(() => Marking, {
    description: 'The highest marking a delivery may carry: each run is composed again for a reader of this clearance before it leaves.',
  })
  @Column({ type: 'enum', enum: MARKINGS, enumName: 'tlp_marking' })
  clearance: Marking;

  @Field(() => GraphQLDateTime, { description: 'When it was added, or recorded.' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

@Entity()
@Unique('brief_delivery_once', ['runId', 'targetId'])
@Index('brief_delivery_unqueued', ['createdAt'], { where: `state = 'PENDING' AND job_id IS NULL` })
@Index('brief_delivery_by_target', ['targetId', 'createdAt'])
@ObjectType({ description: 'One delivery of one run to one target: its log.' })
export class BriefDelivery {
  @Field(() => ID, { description: 'Global id of the delivery; webhooks send it as `Dossier-Delivery`, for receivers to drop repeats.' })
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  runId: string;

  @ManyToOne(() => BriefRun, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'run_id' })
  run: BriefRun;

  /** Null once the target is removed: the log stays. */
  @Column('uuid', { nullable: true })
  targetId: string | null;

  @ManyToOne(() => DeliveryTarget, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'target_id' })
  deliveryTarget: DeliveryTarget | null;

  @Field(() => DeliveryKind, { description: 'Webhook or e-mail.' })
  @Column({ type: 'enum', enum: DeliveryKind, enumName: 'delivery_kind' })
  kind: DeliveryKind;

  @Field({ description: 'Where it went, as the target shows it (masked likewise).' })
  @Column('text')
  target: string;

  @Field(() => Marking, { description: 'The clearance it was composed for.' })
  @Column({ type: 'enum', enum: MARKINGS, enumName: 'tlp_marking' })
  clearance: Marking;

  @Field(() => DeliveryState, { description: 'Where it stands.' })
  @Column({ type: 'enum', enum: DeliveryState, enumName: 'delivery_state' })
  state: DeliveryState;

  @Field(() => Int, { description: 'Attempts made to send it.' })
  @Column('int', { default: 0 })
  attempts: number;

  @Field(() => Int, { nullable: true, description: 'HTTP status of the last answer (webhooks), or the SMTP reply code.' })
  @Column('int', { nullable: true })
  lastStatusCode: number | null;

  @Field(() => String, { nullable: true, description: 'Why the last attempt failed, or why it was not sent; told only to readers who manage the target.' })
  @Column('text', { nullable: true })
  error: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The first bytes of the last answer (at most 512 characters); null to readers who do not manage the target.',
  })
  @Column('text', { nullable: true })
  responseExcerpt: string | null;

  @Field(() => Marking, { nullable: true, description: 'Marking of the content it carries, once composed.' })
  @Column({ type: 'enum', enum: MARKINGS, enumName: 'tlp_marking', nullable: true })
  marking: Marking | null;

  @Field(() => String, { nullable: true, description: 'SHA-256 of the Markdown it carries, once composed.' })
  @Column('text', { nullable: true })
  contentHash: string | null;

  /** What is sent, composed once so every attempt sends the same bytes: the JSON body, or the e-mail as JSON. */
  @Column('text', { nullable: true })
  payload: string | null;

  /** Ids of everything it carries: checked again before each attempt, so nothing since marked higher leaves. */
  @Column('jsonb', { nullable: true })
  contents: RunContents | null;

  /** What it carried, for the delta of this target's next delivery. */
  @Column('jsonb', { nullable: true })
  snapshot: Snapshot | null;

  /** The pg-boss job that sends it; null until queued. */
  @Column('uuid', { nullable: true })
  jobId: string | null;

  @Field(() => GraphQLDateTime, { description: 'When it was added, or recorded.' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'When the last attempt was made.' })
  @Column('timestamptz', { nullable: true })
  lastAttemptAt: Date | null;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'When it was delivered, given up or skipped.' })
  @Column('timestamptz', { nullable: true })
  finishedAt: Date | null;
}
