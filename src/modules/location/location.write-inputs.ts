import { Field, Float, InputType } from 'type-graphql';
import { AccessPatch, NewItemAccess } from '../release/access.inputs';
import { ofVocabulary, Vocabulary } from '../vocabulary/vocabularies';

@InputType({ description: 'A new place where events happen.' })
export class LocationInput extends NewItemAccess {
  @Field({ description: 'Usual name of the place.' })
  name: string;

  @Field(() => String, { description: ofVocabulary(Vocabulary.LOCATION_KIND, 'What sort of place it is.') })
  kind: string;

  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2 code of the country it lies in.' })
  countryCode?: string | null;

  @Field(() => Float, { nullable: true, description: 'WGS 84 latitude in degrees, with the longitude.' })
  latitude?: number | null;

  @Field(() => Float, { nullable: true, description: 'WGS 84 longitude in degrees, with the latitude.' })
  longitude?: number | null;

  @Field(() => String, { nullable: true, description: 'What and where the place is.' })
  description?: string | null;
}

@InputType({ description: 'Changes to a place: fields not given stay as they are (null removes an optional one).' })
export class LocationPatch extends AccessPatch {
  @Field(() => String, { nullable: true, description: 'New name.' })
  name?: string | null;

  @Field(() => String, { nullable: true, description: ofVocabulary(Vocabulary.LOCATION_KIND, 'New kind.') })
  kind?: string | null;

  @Field(() => String, { nullable: true, description: 'New country code.' })
  countryCode?: string | null;

  @Field(() => Float, { nullable: true, description: 'New latitude (with the longitude).' })
  latitude?: number | null;

  @Field(() => Float, { nullable: true, description: 'New longitude (with the latitude).' })
  longitude?: number | null;

  @Field(() => String, { nullable: true, description: 'New description.' })
  description?: string | null;
}
