import { Field } from 'type-graphql';
import { JoinColumn, ManyToOne } from 'typeorm';
import { byParentKey, one, type FieldSpec, type TypeSpec } from '../read/model';

/**
 * Every stored type may be superseded by another item of its own type: the `superseded_by_id` column of Item, its
 * foreign key to the type's own table and its `supersededBy` field, declared here once for all of them.
 */
export function declareSupersession(spec: TypeSpec): void {
  const { entity, typeName } = spec;
  ManyToOne(() => entity, { nullable: true, onDelete: 'SET NULL' })(entity.prototype, 'supersededBy');
  JoinColumn({ name: 'superseded_by_id' })(entity.prototype, 'supersededBy');
  Field(() => entity, {
    nullable: true,
    description: `The ${typeName} that replaces this retracted one; null when none is named or it is above your clearance.`,
  })(entity.prototype, 'supersededBy');
}

/** The read spec of `supersededBy`. */
export const supersededByField = (typeName: string): FieldSpec => one(typeName, byParentKey('superseded_by_id'));
