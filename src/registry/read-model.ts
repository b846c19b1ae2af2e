import { getMetadataArgsStorage } from 'typeorm';
import { snake } from '../db/naming-strategy';
import type { FieldSpec, ReadModel, TypeSpec } from '../read/model';
import { supersededByField } from './supersession';

/** An entity class (TypeORM keys its metadata by the class). */
type EntityClass = abstract new (...args: never[]) => unknown;

/** The entity and the classes it extends, most derived first: TypeORM declares inherited columns on the parent. */
function inheritanceOf(entity: EntityClass): EntityClass[] {
  const chain: EntityClass[] = [];
  for (let t = entity; t && t !== Function.prototype; t = Object.getPrototypeOf(t) as EntityClass) chain.push(t);
  return chain;
}

/** The GraphQL fields that read a column of the entity as it is: its TypeORM columns and embedded column groups. */
export function columnFieldsOf(entity: EntityClass): Record<string, FieldSpec> {
  const storage = getMetadataArgsStorage();
  const targets = inheritanceOf(entity);
  const fields: Record<string, FieldSpec> = {};
  for (const column of storage.filterColumns(targets)) {
    const type =
      typeof column.options.type === 'string' ? column.options.type : column.mode === 'createDate' || column.mode === 'updateDate' ? 'timestamptz' : undefined;
    fields[column.propertyName] = {
      kind: 'column',
      column: column.options.name ?? snake(column.propertyName),
      type: type && column.options.array ? `${type}[]` : type,
    };
  }
  for (const embedded of storage.filterEmbeddeds(targets)) {
    const type = embedded.type() as EntityClass;
    const prefix = snake(embedded.prefix === undefined || embedded.prefix === true ? embedded.propertyName : String(embedded.prefix));
    const columns = Object.fromEntries(storage.filterColumns(type).map((c) => [c.propertyName, `${prefix}_${snake(c.propertyName)}`]));
    fields[embedded.propertyName] = { kind: 'embedded', columns };
  }
  fields.id = { kind: 'id' };
  return fields;
}

/** A type's read model: the fields it declares over the columns of its entity, and its successor. */
export const readModelOf = (spec: TypeSpec<never>): ReadModel => ({
  ...spec,
  fields: { ...columnFieldsOf(spec.entity), supersededBy: supersededByField(spec.typeName), ...spec.fields },
});
