import { ArgsType, Field, ID, InputType, registerEnumType } from 'type-graphql';
import { orderInputOf, PageArgs } from '../../common/pagination';
import { AssertionFilter } from '../assertion/assertion.inputs';
import { ChallengeCategory } from './challenge.entity';

export enum ChallengeOrderField {
  CATEGORY = 'CATEGORY',
  CREATED_AT = 'CREATED_AT',
  UPDATED_AT = 'UPDATED_AT',
}
registerEnumType(ChallengeOrderField, { name: 'ChallengeOrderField', description: 'What to order challenges by.' });

export const ChallengeOrder = orderInputOf(ChallengeOrderField, 'Challenge');

@InputType({ description: 'Narrows a list of challenges; all conditions must hold.' })
export class ChallengeFilter extends AssertionFilter {
  @Field(() => ID, { nullable: true, description: 'Only challenges of this actor.' })
  actor?: string | null;

  @Field(() => [ChallengeCategory], { nullable: true, description: 'Only these categories.' })
  categories?: ChallengeCategory[] | null;
}

@ArgsType()
export class ChallengeConnectionArgs extends PageArgs {
  @Field(() => ChallengeFilter, { nullable: true })
  filter?: ChallengeFilter | null;

  @Field(() => ChallengeOrder, { nullable: true, description: 'Default: by category.' })
  orderBy?: InstanceType<typeof ChallengeOrder> | null;
}
