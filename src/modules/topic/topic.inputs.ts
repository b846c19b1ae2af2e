import { ArgsType, Field, InputType, registerEnumType } from 'type-graphql';
import { orderInputOf, PageArgs } from '../../common/pagination';

export enum TopicOrderField {
  TITLE = 'TITLE',
  STARTS_ON = 'STARTS_ON',
  CREATED_AT = 'CREATED_AT',
  UPDATED_AT = 'UPDATED_AT',
}
registerEnumType(TopicOrderField, { name: 'TopicOrderField', description: 'What to order topics by.' });

export const TopicOrder = orderInputOf(TopicOrderField, 'Topic');

@InputType({ description: 'Narrows a list of topics.' })
export class TopicFilter {
  @Field(() => String, { nullable: true, description: 'Title or summary contains this text (case-insensitive).' })
  search?: string | null;
}

@ArgsType()
export class TopicConnectionArgs extends PageArgs {
  @Field(() => TopicFilter, { nullable: true })
  filter?: TopicFilter | null;

  @Field(() => TopicOrder, { nullable: true, description: 'Default: by title.' })
  orderBy?: InstanceType<typeof TopicOrder> | null;
}
