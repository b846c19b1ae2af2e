import { Field, InputType } from 'type-graphql';
import { CitationInput } from '../citation/citation.write-inputs';
import { AccessPatch, NewItemAccess } from '../release/access.inputs';

/** Fields every new statement has: its topic, who may read it, and its sources. Extended by each kind's input. */
@InputType({ description: 'Fields every new statement has.' })
export class NewStatementFields extends NewItemAccess {
  @Field({ description: 'Slug of its topic.' })
  topic: string;

  @Field(() => [CitationInput], { description: 'At least one source.' })
  citations: CitationInput[];
}

/** Fields every statement change may have. */
@InputType({ description: 'Fields every statement change may have.' })
export class StatementAccessPatch extends AccessPatch {
  @Field(() => String, { nullable: true, description: 'Slug of the topic to move it to (one you may see).' })
  topic?: string | null;
}
