import { Field, InputType } from 'type-graphql';

@InputType({ description: 'Narrows a list of topics.' })
export class TopicFilter {
  @Field(() => String, { nullable: true, description: 'Title or summary contains this text (case-insensitive).' })
  search?: string | null;
}
