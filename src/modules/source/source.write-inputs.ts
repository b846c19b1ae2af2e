import { Field, ID, InputType } from 'type-graphql';
import { LocalDate } from '../../common/local-date';
import { AccessPatch, NewItemAccess } from '../release/access.inputs';
import { Reliability } from './source-grades';
import { ofVocabulary, Vocabulary } from '../vocabulary/vocabularies';

@InputType({ description: 'A new source: a document or channel statements are cited to.' })
export class SourceInput extends NewItemAccess {
  @Field({ description: 'Title of the document or channel.' })
  name: string;

  @Field(() => String, { description: ofVocabulary(Vocabulary.SOURCE_KIND, 'What sort of document or channel it is.') })
  kind: string;

  @Field(() => Reliability, { description: 'Admiralty reliability grade (A-F; F when it cannot be judged).' })
  reliability: Reliability;

  @Field(() => ID, { nullable: true, description: 'Who published it (an Actor you may see).' })
  publisher?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'The original source whose reporting it passes on (a Source you may see that relays no other): one voice with it.',
  })
  relays?: string | null;

  @Field(() => String, { nullable: true, description: 'Where to read it: an http(s) address.' })
  url?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Publication date, when known.' })
  publishedOn?: string | null;

  @Field(() => String, { nullable: true, description: 'What the source is, and why it has its grade.' })
  description?: string | null;
}

@InputType({ description: 'Changes to a source: fields not given stay as they are (null removes an optional one).' })
export class SourcePatch extends AccessPatch {
  @Field(() => String, { nullable: true, description: 'New title.' })
  name?: string | null;

  @Field(() => String, { nullable: true, description: ofVocabulary(Vocabulary.SOURCE_KIND, 'New kind.') })
  kind?: string | null;

  @Field(() => Reliability, { nullable: true, description: 'New reliability grade.' })
  reliability?: Reliability | null;

  @Field(() => ID, { nullable: true, description: 'New publisher.' })
  publisher?: string | null;

  @Field(() => ID, { nullable: true, description: 'New original it relays (null: it reports in its own right).' })
  relays?: string | null;

  @Field(() => String, { nullable: true, description: 'New address.' })
  url?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'New publication date.' })
  publishedOn?: string | null;

  @Field(() => String, { nullable: true, description: 'New description.' })
  description?: string | null;
}
