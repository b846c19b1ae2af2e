import { Field, ID, InputType } from 'type-graphql';
import { AccessPatch, NewItemAccess } from '../release/access.inputs';
import { ofVocabulary, Vocabulary } from '../vocabulary/vocabularies';
import { ExternalIdInput } from './external-id';

@InputType({
  description:
    'A new actor. One that matches an actor you may see (by identifier, or by name or alias within its kind) is CONFLICT naming it, unless `reuseExisting`.',
})
export class ActorInput extends NewItemAccess {
  @Field({ description: 'Usual name.' })
  name: string;

  @Field(() => String, { description: ofVocabulary(Vocabulary.ACTOR_KIND, 'What sort of actor it is.') })
  kind: string;

  @Field(() => [String], { nullable: true, description: 'Other names it goes by.' })
  aliases?: string[] | null;

  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2 code of the country it belongs to.' })
  countryCode?: string | null;

  @Field(() => String, { nullable: true, description: 'Who or what it is, in a sentence.' })
  description?: string | null;

  @Field(() => ID, { nullable: true, description: 'The actor it is part of (one you may see).' })
  parent?: string | null;

  @Field(() => [ExternalIdInput], { nullable: true, description: 'Its identifiers in registers; each names one actor only.' })
  externalIds?: ExternalIdInput[] | null;

  @Field(() => Boolean, { nullable: true, description: 'When it matches an existing actor you may see, answer with that one instead of CONFLICT.' })
  reuseExisting?: boolean | null;
}

@InputType({ description: 'Changes to an actor: fields not given stay as they are; lists given replace the old ones.' })
export class ActorPatch extends AccessPatch {
  @Field(() => String, { nullable: true, description: 'New name.' })
  name?: string | null;

  @Field(() => String, { nullable: true, description: ofVocabulary(Vocabulary.ACTOR_KIND, 'New kind.') })
  kind?: string | null;

  @Field(() => [String], { nullable: true, description: 'Its other names, all of them.' })
  aliases?: string[] | null;

  @Field(() => String, { nullable: true, description: 'New country code (null removes it).' })
  countryCode?: string | null;

  @Field(() => String, { nullable: true, description: 'New description (null removes it).' })
  description?: string | null;

  @Field(() => ID, { nullable: true, description: 'The actor it is part of (null: none).' })
  parent?: string | null;

  @Field(() => [ExternalIdInput], { nullable: true, description: 'Its identifiers, all of them.' })
  externalIds?: ExternalIdInput[] | null;
}
