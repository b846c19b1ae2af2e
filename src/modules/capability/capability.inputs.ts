import { ArgsType, Field, ID, InputType, registerEnumType } from 'type-graphql';
import { orderInputOf, PageArgs } from '../../common/pagination';
import { AssertionFilter } from '../assertion/assertion.inputs';
import { CapabilityCategory } from './capability.entity';

export enum CapabilityOrderField {
  CATEGORY = 'CATEGORY',
  CREATED_AT = 'CREATED_AT',
  UPDATED_AT = 'UPDATED_AT',
}
registerEnumType(CapabilityOrderField, { name: 'CapabilityOrderField', description: 'What to order capabilities by.' });

export const CapabilityOrder = orderInputOf(CapabilityOrderField, 'Capability');

@InputType({ description: 'Narrows a list of capabilities; all conditions must hold.' })
export class CapabilityFilter extends AssertionFilter {
  @Field(() => ID, { nullable: true, description: 'Only capabilities of this actor.' })
  actor?: string | null;

  @Field(() => [CapabilityCategory], { nullable: true, description: 'Only these categories.' })
  categories?: CapabilityCategory[] | null;
}

@ArgsType()
export class CapabilityConnectionArgs extends PageArgs {
  @Field(() => CapabilityFilter, { nullable: true })
  filter?: CapabilityFilter | null;

  @Field(() => CapabilityOrder, { nullable: true, description: 'Default: by category.' })
  orderBy?: InstanceType<typeof CapabilityOrder> | null;
}
