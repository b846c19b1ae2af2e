import { Check, Column, CreateDateColumn, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { Field, ID, Int, InterfaceType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { AUDIENCE_ONLY_RED, ORGANISATION_FORMAT, RETRACTION_EXPLAINED } from './checks';
import { Marking, MARKINGS } from './marking';

/** The compiled read path puts each object's concrete type name here, so interfaces can resolve it. */
export const typeNameOf = (value: { __typename?: string }) => value.__typename;

@InterfaceType('Node', {
  description: 'An object with a global id, fetchable with `node(id:)`.',
  resolveType: typeNameOf,
})
export abstract class Node {
  @Field(() => ID, { description: 'Global id, usable with `node(id:)`.' })
  id: string;
}

/** Who may read a marked row must be decidable: an AMBER+STRICT row names its organisation, a RED row its audience. */
export const ITEM_ACCESS_DECIDABLE = `(marking <> 'AMBER_STRICT' OR organisation IS NOT NULL) AND (marking <> 'RED' OR cardinality(audience) > 0)`;

/**
 * Columns every stored item has: a stable UUID, a TLP marking, its timestamps, its version and, once withdrawn, its
 * retraction. The version is the database's to keep (a trigger adds one on every update that changes the row).
 */
@Check('item_access_decidable', ITEM_ACCESS_DECIDABLE)
@Check('retraction_explained', RETRACTION_EXPLAINED)
@Check('not_superseded_by_itself', 'superseded_by_id <> id')
@Check('organisation_format', ORGANISATION_FORMAT)
@Check('audience_only_red', AUDIENCE_ONLY_RED)
@InterfaceType('Item', {
  implements: Node,
  description: 'Anything Dossier stores: it carries a TLP marking, its timestamps, its version and, once retracted, why.',
  resolveType: typeNameOf,
})
export abstract class Item {
  @Field(() => ID, { description: 'Global id, usable with `node(id:)`.' })
  @PrimaryColumn('uuid')
  id: string;

  @Field(() => Marking, { description: 'TLP 2.0 marking: only readers cleared for it see this item.' })
  @Column({ type: 'enum', enum: MARKINGS, enumName: 'tlp_marking', default: 'CLEAR' })
  marking: Marking;

  @Field(() => String, {
    nullable: true,
    description: 'Organisation the item belongs to: a TLP:AMBER+STRICT item is shown only to readers of this organisation.',
  })
  @Column('text', { nullable: true })
  organisation: string | null;

  @Field(() => [String], { description: 'Principals a TLP:RED item is shown to; only they see it.' })
  @Column('text', { array: true, default: () => "'{}'" })
  audience: string[];

  @Field(() => GraphQLDateTime, { description: 'When this item was first stored.' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field(() => GraphQLDateTime, { description: 'When this item was last changed.' })
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @Field(() => Int, { description: 'Starts at 1 and grows by one with every change: give it to an update or retraction to refuse a stale one.' })
  @Column('integer', { default: 1 })
  version: number;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'When it was retracted; null while it stands. Lists and briefs leave retracted items out.' })
  @Column('timestamptz', { nullable: true })
  retractedAt: Date | null;

  @Field(() => String, { nullable: true, description: 'Why it was retracted.' })
  @Column('text', { nullable: true })
  retractionReason: string | null;

  /** The item of the same type that replaces a retracted one (its `supersededBy` field). */
  @Column('uuid', { nullable: true })
  supersededById: string | null;
}
