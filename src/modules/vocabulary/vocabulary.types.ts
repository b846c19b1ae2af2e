import { Field, ObjectType } from 'type-graphql';

@ObjectType('VocabularyTerm', { description: 'One term of an open vocabulary: the value a field stores, and how to show it.' })
export class VocabularyTermView {
  @Field({ description: 'The value as fields store it: UPPER_SNAKE ("NON_STATE_ARMED_GROUP").' })
  term: string;

  @Field({ description: 'How it reads in a UI and in briefs ("Non-state armed group"; relation types read between two names: "treaty partner of").' })
  label: string;

  @Field(() => String, { nullable: true, description: 'What it means.' })
  description: string | null;

  @Field({ description: 'A deprecated term stays on the rows that hold it and in reads, and is refused on new writes.' })
  deprecated: boolean;

  @Field(() => String, { nullable: true, description: 'The term in STIX 2.1, when it is one there ("nation-state").' })
  stixTerm: string | null;

  @Field(() => String, { nullable: true, description: 'The STIX 2.1 vocabulary of `stixTerm` ("threat-actor-type-ov").' })
  stixVocabulary: string | null;
}

@ObjectType({ description: 'An open vocabulary: the terms a field may take, in their order. ADMIN adds, relabels and deprecates terms.' })
export class Vocabulary {
  @Field({ description: 'Its name ("actor-kind"), as the fields that use it name it.' })
  name: string;

  @Field(() => [VocabularyTermView], { description: 'Its terms in order, deprecated ones too (marked).' })
  terms: VocabularyTermView[];
}
