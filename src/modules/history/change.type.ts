import { GraphQLDateTime, GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PageInfo } from '../../common/pagination';

export enum ChangeOperation {
  CREATE = 'create',
  UPDATE = 'update',
  RETRACT = 'retract',
  RESTORE = 'restore',
  DELETE = 'delete',
  HIDDEN = 'hidden',
  REVEALED = 'revealed',
}
registerEnumType(ChangeOperation, {
  name: 'ChangeOperation',
  description: 'What a change did, as you may see it.',
  valuesConfig: {
    CREATE: { description: 'Recorded: `after` holds all of its fields.' },
    UPDATE: { description: 'Changed: `before` and `after` hold the fields that changed (`{}` when only its links did; null once it is deleted).' },
    RETRACT: { description: 'Withdrawn, with its reason.' },
    RESTORE: { description: 'Its retraction undone.' },
    DELETE: { description: 'Deleted for good: no content is kept, here or in its earlier changes.' },
    HIDDEN: { description: 'Re-marked beyond what you may read: for you it is gone. No content.' },
    REVEALED: { description: 'Re-marked (released) so that you may now read it: `after` holds all of its fields.' },
  },
});

@ObjectType({ simpleResolvers: true, description: 'One change of an item: who, when, what (the fields before and after) and why.' })
export class Change {
  @Field({ description: 'Opaque position in the feed: pass it as `after` to read on from here.' })
  cursor: string;

  @Field(() => ChangeOperation, { description: 'What it did, as you may see it.' })
  operation: ChangeOperation;

  @Field(() => ID, { description: 'Global id of the item (as `node(id:)` takes it).' })
  itemId: string;

  @Field({ description: 'GraphQL type of the item.' })
  itemType: string;

  @Field(() => String, { nullable: true, description: 'Slug of the topic the item is in (a statement, a citation, a topic), when you may see it.' })
  topic: string | null;

  @Field(() => Int, { nullable: true, description: 'The version of the item the change made (for a deletion: its last one).' })
  version: number | null;

  @Field(() => String, { nullable: true, description: 'Who made it: the principal of the writer, `dossier:seed` for the seed; null when not known.' })
  principal: string | null;

  @Field(() => String, { nullable: true, description: 'Why: the `comment` of the write.' })
  comment: string | null;

  @Field(() => GraphQLDateTime, { description: 'When it was made (the start of its transaction).' })
  at: Date;

  @Field(() => GraphQLJSONObject, {
    nullable: true,
    description: 'Values of the changed fields before it, by field name; references are global ids, null when you may not see what they name.',
  })
  before: Record<string, unknown> | null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Values of the changed fields after it (all of them for CREATE and REVEALED).' })
  after: Record<string, unknown> | null;
}

@ObjectType({ simpleResolvers: true, description: 'One change in a page, with its cursor.' })
export class ChangeEdge {
  @Field({ description: 'Opaque position of this change: pass it as `after` to read on from here.' })
  cursor: string;

  @Field(() => Change, { description: 'The change.' })
  node: Change;
}

@ObjectType({ simpleResolvers: true, description: 'A page of changes, oldest first.' })
export class ChangeConnection {
  @Field(() => [ChangeEdge], { description: 'The changes of the page, each with its cursor.' })
  edges: ChangeEdge[];

  @Field(() => [Change], { description: 'The changes of the page, without cursors.' })
  nodes: Change[];

  @Field(() => PageInfo, { description: 'Whether more changes follow now; keep `endCursor` to resume from it later.' })
  pageInfo: PageInfo;
}

@InputType({ description: 'Which changes of the feed to read.' })
export class ChangeFilter {
  @Field(() => String, { nullable: true, description: 'Only changes of items in this topic (its slug or id): statements, their citations and the topic.' })
  topic?: string | null;

  @Field(() => [String], { nullable: true, description: 'Only changes of items of these GraphQL types (Implication, Citation, Actor, ...).' })
  types?: string[] | null;
}
