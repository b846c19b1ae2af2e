import { Check, Column, Entity } from 'typeorm';
import { Field, Float, ObjectType } from 'type-graphql';
import { COUNTRY_CODE_FORMAT, trimmedText } from '../../common/checks';
import { Item, Node } from '../../common/columns';
import { ofVocabulary, Vocabulary } from '../vocabulary/vocabularies';
import { orderIndexes } from '../../db/order-index';

@Entity()
@orderIndexes('location', ['name', 'created_at', 'updated_at'])
@Check('name_not_blank', trimmedText('name'))
@Check('country_code_format', COUNTRY_CODE_FORMAT)
// Both coordinates or neither, on the globe.
@Check('location_coordinates_valid', '(latitude IS NULL) = (longitude IS NULL) AND latitude BETWEEN -90 AND 90 AND longitude BETWEEN -180 AND 180')
@ObjectType({ implements: [Node, Item], simpleResolvers: true, description: 'A place where events happen.' })
export class Location extends Item {
  @Field({ description: 'Usual name of the place.' })
  @Column('text')
  name: string;

  @Field(() => String, { description: ofVocabulary(Vocabulary.LOCATION_KIND, 'What sort of place this is.') })
  @Column('text')
  kind: string;

  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2 code of the country it lies in.' })
  @Column('char', { length: 2, nullable: true })
  countryCode: string | null;

  @Field(() => Float, { nullable: true, description: 'WGS 84 latitude in degrees.' })
  @Column('double precision', { nullable: true })
  latitude: number | null;

  @Field(() => Float, { nullable: true, description: 'WGS 84 longitude in degrees.' })
  @Column('double precision', { nullable: true })
  longitude: number | null;

  @Field(() => String, { nullable: true, description: 'What and where the place is.' })
  @Column('text', { nullable: true })
  description: string | null;
}
