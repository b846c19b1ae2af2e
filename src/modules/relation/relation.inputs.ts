import { ArgsType, Field, ID, InputType, registerEnumType } from 'type-graphql';
import { LocalDate } from '../../common/local-date';
import { orderInputOf, PageArgs } from '../../common/pagination';
import { AssertionFilter } from '../assertion/assertion.inputs';
import { RelationType } from './relation.entity';

export enum RelationOrderField {
  TYPE = 'TYPE',
  VALID_FROM = 'VALID_FROM',
  CREATED_AT = 'CREATED_AT',
  UPDATED_AT = 'UPDATED_AT',
}
registerEnumType(RelationOrderField, { name: 'RelationOrderField', description: 'What to order relations by.' });

export const RelationOrder = orderInputOf(RelationOrderField, 'ActorRelation');

@InputType({ description: 'Narrows a list of actor relations; all conditions must hold.' })
export class RelationFilter extends AssertionFilter {
  @Field(() => ID, { nullable: true, description: 'Only relations in which this actor is either side.' })
  actor?: string | null;

  @Field(() => [RelationType], { nullable: true, description: 'Only these types.' })
  types?: RelationType[] | null;

  @Field(() => LocalDate, { nullable: true, description: 'Only relations that hold on this day (open ends count as holding).' })
  validOn?: string | null;
}

@ArgsType()
export class RelationConnectionArgs extends PageArgs {
  @Field(() => RelationFilter, { nullable: true })
  filter?: RelationFilter | null;

  @Field(() => RelationOrder, { nullable: true, description: 'Default: by type.' })
  orderBy?: InstanceType<typeof RelationOrder> | null;
}
