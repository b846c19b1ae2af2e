import { Field, ID, InputType } from 'type-graphql';
import { LocalDate } from '../../common/local-date';
import { AccessPatch, NewItemAccess } from '../release/access.inputs';

@InputType({ description: 'A new topic: a situation under watch.' })
export class TopicInput extends NewItemAccess {
  @Field({ description: 'Stable, URL-friendly name, lowercase kebab-case ("red-sea-shipping"); no other topic has it.' })
  slug: string;

  @Field({ description: 'Headline of the situation.' })
  title: string;

  @Field({ description: 'A few neutral sentences on what the topic covers.' })
  summary: string;

  @Field(() => LocalDate, { nullable: true, description: 'When the situation began.' })
  startsOn?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'When it ended.' })
  endsOn?: string | null;

  @Field(() => [ID], { nullable: true, description: 'Its actors (ones you may see).' })
  actors?: string[] | null;
}

@InputType({ description: 'Changes to a topic: fields not given stay as they are.' })
export class TopicPatch extends AccessPatch {
  @Field(() => String, { nullable: true, description: 'New slug.' })
  slug?: string | null;

  @Field(() => String, { nullable: true, description: 'New title.' })
  title?: string | null;

  @Field(() => String, { nullable: true, description: 'New summary.' })
  summary?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'New beginning (null: unknown).' })
  startsOn?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'New end (null: it goes on).' })
  endsOn?: string | null;

  @Field(() => [ID], { nullable: true, description: 'Actors to add to it (ones you may see).' })
  addActors?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Actors to take out of it (ones you may see).' })
  removeActors?: string[] | null;
}
