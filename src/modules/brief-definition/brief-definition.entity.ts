import { GraphQLDateTime, GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn, Unique, UpdateDateColumn } from 'typeorm';
import { ORGANISATION_FORMAT, trimmedText } from '../../common/checks';
import { ITEM_ACCESS_DECIDABLE } from '../../common/columns';
import { Marking, MARKINGS } from '../../common/marking';
import type { BriefScope } from '../brief/brief.scope';

export enum BriefFormat {
  MARKDOWN = 'MARKDOWN',
  HTML = 'HTML',
  JSON = 'JSON',
}
registerEnumType(BriefFormat, {
  name: 'BriefFormat',
  description: 'A rendering a scheduled run keeps: Markdown, an HTML document, or the typed brief as JSON.',
});

/** Bounds of the retention limits (see brief-run/retention.ts). */
export const MAX_KEEP_RUNS = 10_000;
export const MAX_KEEP_DAYS = 3_660;

@Entity()
@Check('item_access_decidable', ITEM_ACCESS_DECIDABLE)
@Check('organisation_format', ORGANISATION_FORMAT)
@Check('name_not_blank', trimmedText('name'))
@Check('brief_definition_name_length', 'char_length(name) <= 200')
@Check('brief_definition_formats_given', 'cardinality(formats) > 0')
@Check('brief_definition_schedule_given', `cron ~ '\\S' AND time_zone ~ '\\S'`)
// Runs carry what a reader of the brief's clearance may see: the definition is marked with that clearance.
@Check('brief_definition_marking_is_clearance', `input->>'clearance' = marking::text`)
@Check('brief_definition_paused_not_due', 'NOT paused OR next_run_at IS NULL')
// Unique per owner and marking: whoever may rename one of an owner's definitions sees all of theirs at its marking,
// so a taken name never tells that a definition exists that the renamer may not see.
@Unique('brief_definition_owner_marking_name', ['ownerPrincipal', 'marking', 'name'])
@Check('brief_definition_keep_runs_range', `keep_runs BETWEEN 1 AND ${MAX_KEEP_RUNS}`)
@Check('brief_definition_keep_days_range', `keep_days BETWEEN 1 AND ${MAX_KEEP_DAYS}`)
@Index('brief_definition_due', ['nextRunAt'], { where: 'NOT paused' })
@ObjectType({ description: 'A saved brief: what to compose, on which schedule, and which renderings to keep.' })
export class BriefDefinition {
  @Field(() => ID, { description: 'Global id of the definition.' })
  @PrimaryColumn('uuid')
  id: string;

  @Field({ description: 'Name of the definition, unique among its owner’s definitions.' })
  @Column('text')
  name: string;

  @Field(() => GraphQLJSONObject, {
    description: 'The brief input in canonical form, defaults filled in: every run composes exactly this.',
  })
  @Column('jsonb')
  input: BriefScope;

  @Field(() => Marking, {
    description: 'The clearance its briefs are composed for, and so its own marking: only readers cleared for it see it and its runs.',
  })
  @Column({ type: 'enum', enum: MARKINGS, enumName: 'tlp_marking' })
  marking: Marking;

  /** Who saved it: runs are composed as this identity, at the clearance of `input`. */
  @Column('text')
  ownerPrincipal: string;

  /** The owner's organisation: an AMBER+STRICT definition is seen only within it. */
  @Column('text', { nullable: true })
  organisation: string | null;

  /** For a RED definition, its owner: nobody else sees it. */
  @Column('text', { array: true, default: () => "'{}'" })
  audience: string[];

  @Field({ description: 'Cron expression of the schedule: 5 fields (minute hour day month weekday), or @daily, @weekly ...' })
  @Column('text')
  cron: string;

  @Field({ description: 'IANA time zone the cron expression is read in ("Europe/London").' })
  @Column('text')
  timeZone: string;

  @Field(() => [BriefFormat], { description: 'Renderings each run keeps.' })
  @Column({ type: 'enum', enum: BriefFormat, enumName: 'brief_format', array: true })
  formats: BriefFormat[];

  @Field({ description: 'Deliver a run only when its content differs from what each target last received (the run is kept either way).' })
  @Column('boolean', { default: false })
  onlyWhenChanged: boolean;

  @Field({ description: 'True while paused: no runs are due, and none are counted as missed.' })
  @Column('boolean', { default: false })
  paused: boolean;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'When the next run is due; null while paused.' })
  @Column('timestamptz', { nullable: true })
  nextRunAt: Date | null;

  @Field(() => Int, { nullable: true, description: 'Retention: keep at most this many runs, newest first; null keeps them all.' })
  @Column('integer', { nullable: true })
  keepRuns: number | null;

  @Field(() => Int, { nullable: true, description: 'Retention: keep runs scheduled in the last this many days; null keeps them all.' })
  @Column('integer', { nullable: true })
  keepDays: number | null;

  @Field(() => GraphQLDateTime, { description: 'When the definition was created.' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field(() => GraphQLDateTime, { description: 'When the definition was last changed.' })
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
