import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import { Check, Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { ORGANISATION_FORMAT } from '../../common/checks';
import { Marking, MARKINGS } from '../../common/marking';
import { Role } from './role';

@Entity()
@Check('organisation_format', ORGANISATION_FORMAT)
@Check('api_key_name_format', `name ~ '^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$'`)
// The principal is "<organisation>/<name>", or the name alone without an organisation (api-key.service.ts keyPrincipal).
@Check('api_key_principal_of_name', `principal = CASE WHEN organisation IS NULL THEN name ELSE organisation || '/' || name END`)
@ObjectType({ description: 'An API key: an identity with a role, a clearance and an organisation. The key itself is shown once.' })
export class ApiKey {
  @Field(() => ID, { description: 'Global id of the key.' })
  @PrimaryColumn('uuid')
  id: string;

  @Field({ description: 'Name of the key, unique within its organisation.' })
  @Column('text')
  name: string;

  @Field({
    description: 'The identity it stands for: "<organisation>/<name>" (or the name alone, without an organisation). A TLP:RED audience lists principals.',
  })
  @Column('text', { unique: true })
  principal: string;

  @Field({ description: 'The first characters of the key, to tell keys apart.' })
  @Column('text')
  prefix: string;

  /** SHA-256 of the key: keys are long random strings, so a fast hash is enough and the key is never stored. */
  @Column('text', { unique: true })
  hash: string;

  @Field(() => Role, { description: 'What the identity may do.' })
  @Column({ type: 'enum', enum: Role, enumName: 'role' })
  role: Role;

  @Field(() => Marking, { description: 'Highest TLP marking the identity may read.' })
  @Column({ type: 'enum', enum: MARKINGS, enumName: 'tlp_marking' })
  clearance: Marking;

  @Field(() => String, { nullable: true, description: 'Organisation of the identity (for TLP:AMBER+STRICT).' })
  @Column('text', { nullable: true })
  organisation: string | null;

  @Field(() => GraphQLDateTime, { description: 'When the key was created.' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'When the key was revoked; it stops working on the next request.' })
  @Column('timestamptz', { nullable: true })
  revokedAt: Date | null;
}
