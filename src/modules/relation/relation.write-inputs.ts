import { LocalDate } from '../../common/local-date';
import { Field, ID, InputType } from 'type-graphql';
import { NewStatementFields, StatementAccessPatch } from '../assertion/statement.write-inputs';
import { ofVocabulary, Vocabulary } from '../vocabulary/vocabularies';

@InputType({ description: 'A new relation between two actors and the sources behind it.' })
export class ActorRelationInput extends NewStatementFields {
  @Field(() => ID, { description: 'Subject (an Actor id).' })
  from: string;

  @Field(() => String, { description: ofVocabulary(Vocabulary.RELATION_TYPE, 'How `from` stands to `to`.') })
  type: string;

  @Field(() => ID, { description: 'Object (an Actor id).' })
  to: string;

  @Field(() => LocalDate, { nullable: true, description: 'First day it holds, when known.' })
  validFrom?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Last day it holds; none while it goes on.' })
  validTo?: string | null;

  @Field(() => String, { nullable: true, description: 'The relation in a sentence.' })
  description?: string | null;
}

@InputType({ description: 'Changes to a relation: fields not given stay as they are.' })
export class ActorRelationPatch extends StatementAccessPatch {
  @Field(() => LocalDate, { nullable: true, description: 'New last day (it ended).' })
  validTo?: string | null;

  @Field(() => String, { nullable: true, description: 'New sentence.' })
  description?: string | null;
}
