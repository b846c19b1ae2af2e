import { Field, ID, InputType } from 'type-graphql';
import { QuantityInput } from '../../common/quantity.inputs';
import { NewStatementFields, StatementAccessPatch } from '../assertion/statement.write-inputs';
import { CapabilityCategory } from './capability.entity';

@InputType({ description: 'A new capability and the sources behind it.' })
export class CapabilityInput extends NewStatementFields {
  @Field(() => ID, { description: 'Whose capability (an Actor id).' })
  actor: string;

  @Field(() => CapabilityCategory, { description: 'What kind of capability.' })
  category: CapabilityCategory;

  @Field({ description: 'The capability in one plain sentence.' })
  statement: string;

  @Field(() => QuantityInput, { nullable: true, description: 'The number behind it, as a range.' })
  quantity?: QuantityInput | null;
}

@InputType({ description: 'Changes to a capability: fields not given stay as they are.' })
export class CapabilityPatch extends StatementAccessPatch {
  @Field(() => CapabilityCategory, { nullable: true, description: 'New category.' })
  category?: CapabilityCategory | null;

  @Field(() => String, { nullable: true, description: 'New statement.' })
  statement?: string | null;

  @Field(() => QuantityInput, { nullable: true, description: 'New number (null removes it).' })
  quantity?: QuantityInput | null;
}
