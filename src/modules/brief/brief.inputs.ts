import { LocalDate } from '../../common/local-date';
import { Field, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { Marking } from '../../common/marking';
import { Reliability } from '../source/source-grades';

/** The parts a brief can have, in the order they are rendered. */
export enum BriefSection {
  BOTTOM_LINE = 'BOTTOM_LINE',
  ACTORS = 'ACTORS',
  IMPLICATIONS = 'IMPLICATIONS',
  TIMELINE = 'TIMELINE',
  SOURCES = 'SOURCES',
  GAPS = 'GAPS',
}

registerEnumType(BriefSection, {
  name: 'BriefSection',
  description: 'A part of a brief. Sections are always rendered in this order, whatever order they are asked in.',
  valuesConfig: {
    BOTTOM_LINE: { description: 'Key judgments: the implications that matter most, ranked by likelihood, then confidence.' },
    ACTORS: { description: 'Each actor with its capabilities, challenges and relations to other actors.' },
    IMPLICATIONS: { description: 'Every analytic judgment in scope, ranked like the bottom line.' },
    TIMELINE: { description: 'Events in date order, each at the precision it is known.' },
    SOURCES: { description: 'Numbered bibliography with reliability grades; statements point to these numbers.' },
    GAPS: { description: 'Weak spots: single-sourced, unreliable-only, low-credibility-only and contested statements.' },
  },
});

@InputType({
  description: 'What a brief or a STIX export covers and for whom: topics, actors, time window, minimum grades and the reader’s clearance.',
})
export class ScopeInput {
  @Field(() => [String], { nullable: true, description: 'Slugs of the topics to cover. With `actors`, only statements of these topics about those actors.' })
  topics?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Ids of the actors to cover. At least one topic or actor is required.' })
  actors?: string[] | null;

  @Field(() => LocalDate, {
    nullable: true,
    description: 'Start of the time window: events before it, and citations to sources published before it, are left out.',
  })
  from?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'End of the time window (inclusive).' })
  to?: string | null;

  @Field(() => Int, { nullable: true, description: 'Only citations at least this credible (1 best ... 6): 3 keeps 1, 2 and 3.' })
  minCredibility?: number | null;

  @Field(() => Reliability, { nullable: true, description: 'Only citations to sources at least this reliable (A best ... F): B keeps A and B.' })
  minReliability?: Reliability | null;

  @Field(() => Marking, {
    nullable: true,
    description: 'Clearance of the reader the brief or export is for; defaults to yours and may never be above it.',
  })
  clearance?: Marking | null;
}

@InputType({ description: 'What a brief covers and for whom: a scope, the sections wanted and the reader’s clearance.' })
export class BriefInput extends ScopeInput {
  @Field(() => [BriefSection], { nullable: true, description: 'Sections wanted; all of them when not given.' })
  sections?: BriefSection[] | null;

  @Field(() => Int, { nullable: true, description: 'At most this many items in each list of a section (default 10, at most 100).' })
  limitPerSection?: number | null;

  @Field(() => Int, { nullable: true, description: 'How many key judgments the bottom line gives (default 3, at most 10).' })
  keyJudgments?: number | null;

  @Field(() => String, { nullable: true, description: 'Title of the brief; by default built from the topics or actors.' })
  title?: string | null;
}
