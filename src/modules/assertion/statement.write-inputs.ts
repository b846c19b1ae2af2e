import { Field, InputType } from 'type-graphql';
import { Marking } from '../../common/marking';
import { CitationInput } from '../citation/citation.write-inputs';

/** Fields every new statement has: who may read it, and its sources. Extended by each kind's input. */
@InputType({ description: 'Fields every new statement has.' })
export class NewStatementFields {
  @Field({ description: 'Slug of its topic.' })
  topic: string;

  @Field(() => Marking, { nullable: true, description: 'TLP marking; CLEAR when not given, never above your clearance.' })
  marking?: Marking | null;

  @Field(() => [String], { nullable: true, description: 'For RED: the principals it is shared with (you are always one).' })
  audience?: string[] | null;

  @Field(() => [CitationInput], { description: 'At least one source.' })
  citations: CitationInput[];
}

/** Fields every statement change may have. */
@InputType({ description: 'Fields every statement change may have.' })
export class StatementAccessPatch {
  @Field(() => Marking, {
    nullable: true,
    description: 'New marking, never above your clearance. Lowering it is a release (RELEASER, with `releaseReason`).',
  })
  marking?: Marking | null;

  @Field(() => [String], { nullable: true, description: 'New audience, for RED. Adding a name is a release.' })
  audience?: string[] | null;

  @Field(() => String, {
    nullable: true,
    description: 'Why, when the change is a release (a lower marking or a wider audience); recorded with it.',
  })
  releaseReason?: string | null;
}
