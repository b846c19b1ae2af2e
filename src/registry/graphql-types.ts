import { ArgsType, Field, registerEnumType, type ClassType } from 'type-graphql';
import { connectionOf, orderInputOf, PageArgs } from '../common/pagination';
import type { TypeSpec } from '../read/model';

/** The GraphQL types derived from one registered type: its connection, order input and connection arguments. */
export interface DerivedTypes {
  connection: ClassType;
  args: ClassType;
}

const derived = new Map<string, DerivedTypes>();

/** Made once per type (type-graphql refuses two types of one name) and shared by every field that lists it. */
export function derivedTypesOf(spec: TypeSpec): DerivedTypes {
  const known = derived.get(spec.typeName);
  if (known) return known;
  const orderField = Object.fromEntries(Object.keys(spec.orderFields).map((name) => [name, name]));
  const valuesConfig = Object.fromEntries(Object.entries(spec.orderFields).map(([name, o]) => [name, { description: o.description }]));
  registerEnumType(orderField, { name: spec.orderFieldEnum ?? `${spec.typeName}OrderField`, description: `What to order ${spec.plural} by.`, valuesConfig });
  const Order = orderInputOf(orderField, spec.typeName);

  @ArgsType()
  class ConnectionArgs extends PageArgs {
    @Field(() => Order, { nullable: true, description: `Default: ${spec.defaultOrder.description}.` })
    orderBy?: unknown;

    @Field(() => Boolean, { nullable: true, defaultValue: false, description: `Retracted ${spec.plural} too; they are left out otherwise.` })
    includeRetracted?: boolean | null;

    filter?: unknown;
  }
  if (spec.filter) {
    const input = spec.filter.input;
    Field(() => input, { nullable: true, description: `Only the ${spec.plural} that meet all these conditions.` })(ConnectionArgs.prototype, 'filter');
  }
  Object.defineProperty(ConnectionArgs, 'name', { value: `${spec.typeName}ConnectionArgs` });

  const types = { connection: connectionOf(spec.entity, spec.typeName, { cappedCount: true }), args: ConnectionArgs };
  derived.set(spec.typeName, types);
  return types;
}
