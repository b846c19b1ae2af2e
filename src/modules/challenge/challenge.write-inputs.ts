import { Field, ID, InputType } from 'type-graphql';
import { QuantityInput } from '../../common/quantity.inputs';
import { NewStatementFields, StatementAccessPatch } from '../assertion/statement.write-inputs';
import { ChallengeCategory } from './challenge.entity';

@InputType({ description: 'A new challenge and the sources behind it.' })
export class ChallengeInput extends NewStatementFields {
  @Field(() => ID, { description: 'Whose challenge (an Actor id).' })
  actor: string;

  @Field(() => ChallengeCategory, { description: 'What kind of obstacle.' })
  category: ChallengeCategory;

  @Field({ description: 'The challenge in one plain sentence.' })
  statement: string;

  @Field(() => QuantityInput, { nullable: true, description: 'The number behind it, as a range.' })
  quantity?: QuantityInput | null;
}

@InputType({ description: 'Changes to a challenge: fields not given stay as they are.' })
export class ChallengePatch extends StatementAccessPatch {
  @Field(() => ChallengeCategory, { nullable: true, description: 'New category.' })
  category?: ChallengeCategory | null;

  @Field(() => String, { nullable: true, description: 'New statement.' })
  statement?: string | null;

  @Field(() => QuantityInput, { nullable: true, description: 'New number (null removes it).' })
  quantity?: QuantityInput | null;
}
