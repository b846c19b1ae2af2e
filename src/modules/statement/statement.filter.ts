import { Field, ID, InputType } from 'type-graphql';
import { AssertionFilter } from '../assertion/assertion.inputs';
import { StatementKind } from '../brief/brief.types';
import { MAX_PART_DEPTH } from './actor-parts';

@InputType({ description: 'Narrows the list of statements of every kind; all conditions must hold, with the meaning the per-kind lists give them.' })
export class StatementFilter extends AssertionFilter {
  @Field(() => [StatementKind], { nullable: true, description: 'Only statements of these kinds; every kind when left out.' })
  kinds?: StatementKind[] | null;

  @Field(() => ID, {
    nullable: true,
    description:
      'Only statements about this actor: its capabilities and challenges, events it was involved in, judgments bearing on it, relations on either side.',
  })
  actor?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description: `With \`actor\`: about its parts too (units of an army, agencies of a ministry), parts of parts up to ${MAX_PART_DEPTH} levels down; only parts you may see, and not retracted ones.`,
  })
  includeParts?: boolean | null;
}
