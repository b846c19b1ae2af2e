import { Field, ID, InputType } from 'type-graphql';
import { AccessPatch } from '../release/access.inputs';

@InputType({ description: 'A change of who may read a citation, or of the original its words pass on.' })
export class CitationPatch extends AccessPatch {
  @Field(() => ID, {
    nullable: true,
    description: "New original these words pass on (a Source you may see that relays no other); null: the words are the source's own.",
  })
  relayedFrom?: string | null;
}
