import { Field, InputType } from 'type-graphql';
import { Marking } from '../../common/marking';

/** Who may read an item after a change; extended by the change input of every type. */
@InputType({ description: 'A change of who may read an item.' })
export class AccessPatch {
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

/** Who may read a new item; extended by the input of every type. */
@InputType({ description: 'Who may read a new item.' })
export class NewItemAccess {
  @Field(() => Marking, { nullable: true, description: 'TLP marking; CLEAR when not given, never above your clearance.' })
  marking?: Marking | null;

  @Field(() => [String], { nullable: true, description: 'For RED: the principals it is shared with (you are always one).' })
  audience?: string[] | null;
}
