import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Marking } from '../../common/marking';
import { StatementKind } from '../brief/brief.types';

/** Per statement (by global id): its kind, its text and a fingerprint of each facet a reader cares about. */
export type Snapshot = Record<string, { kind: StatementKind; text: string; marking: Marking; facets: Record<string, string> }>;

export enum DeltaBaseline {
  RUN = 'RUN',
  TIMESTAMPS = 'TIMESTAMPS',
}
registerEnumType(DeltaBaseline, {
  name: 'DeltaBaseline',
  description: 'What a delta was computed against.',
  valuesConfig: {
    RUN: { description: 'The statements a stored run carried: exact, removals included.' },
    TIMESTAMPS: {
      description:
        'No stored run of the same input before `since`: statements created (or first readable) or changed after it, by the history of changes, with what changed. The seed as installed counts as there before any date. Removals cannot be known.',
    },
  },
});

@ObjectType({ description: 'A statement that was added, removed or changed.' })
export class DeltaItem {
  @Field(() => ID, { description: 'Id of the statement.' })
  id: string;

  @Field(() => StatementKind, { description: 'What kind of statement it is.' })
  kind: StatementKind;

  @Field({ description: 'The statement (as it reads now, or as it read when removed).' })
  text: string;

  @Field(() => Marking, { description: 'Its marking (now, or when removed).' })
  marking: Marking;

  @Field(() => [String], {
    description: 'For a changed statement, what changed: text, marking, quantity, likelihood, confidence, date, citations ...',
  })
  changes: string[];
}

@ObjectType({ description: 'What changed in a brief: statements added, removed and changed since a baseline.' })
export class BriefDelta {
  @Field(() => DeltaBaseline, { description: 'What the delta was computed against.' })
  baseline: DeltaBaseline;

  @Field(() => GraphQLDateTime, { description: 'Time of the baseline: the earlier run, or the `since` asked for.' })
  since: string;

  @Field(() => ID, { nullable: true, description: 'The run compared against, when the baseline is a run.' })
  baselineRunId: string | null;

  @Field(() => [DeltaItem], { description: 'Statements now in the brief that were not.' })
  added: DeltaItem[];

  @Field(() => [DeltaItem], { description: 'Statements no longer in the brief.' })
  removed: DeltaItem[];

  @Field(() => [DeltaItem], { description: 'Statements in both whose content changed.' })
  changed: DeltaItem[];

  @Field(() => Int, { description: 'Statements in both, unchanged.' })
  unchanged: number;
}
