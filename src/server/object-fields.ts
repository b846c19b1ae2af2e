import {
  getNamedType,
  Kind,
  OperationTypeNode,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * Fields of an object type an operation selects once its fragments are expanded. Each becomes a subquery of the
 * compiled statement, so this bounds its size and its planning time, which the cost (rows times fields) does not: a
 * one-kilobyte document of fragments that spread each other twice asks for a thousand nested objects at a low cost.
 * Each fragment is counted once and its count reused, so a document that expands exponentially is counted in linear
 * time. Fields merged by GraphQL are counted each time they appear: an upper bound.
 */
export function objectFieldCount(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const perFragment = new Map<string, number>();
  const count = (set: SelectionSetNode, type: GraphQLCompositeType | undefined): number => {
    let total = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (!selection.selectionSet) continue;
        const field = type && (isObjectType(type) || isInterfaceType(type)) ? type.getFields()[selection.name.value] : undefined;
        const child = field ? getNamedType(field.type) : undefined;
        total += 1 + count(selection.selectionSet, child && isCompositeType(child) ? child : undefined);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        total += count(selection.selectionSet, selection.typeCondition ? compositeType(schema, selection.typeCondition.name.value) : type);
      } else {
        const name = selection.name.value;
        let known = perFragment.get(name);
        if (known === undefined) {
          const fragment = fragments.get(name);
          // Validation has refused cycles and unknown fragments before this runs; an unknown one counts nothing.
          perFragment.set(name, 0);
          known = fragment ? count(fragment.selectionSet, compositeType(schema, fragment.typeCondition.name.value)) : 0;
          perFragment.set(name, known);
        }
        total += known;
      }
    }
    return total;
  };
  const root =
    operation.operation === OperationTypeNode.QUERY
      ? schema.getQueryType()
      : operation.operation === OperationTypeNode.MUTATION
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  return count(operation.selectionSet, root ?? undefined);
}

function compositeType(schema: GraphQLSchema, name: string): GraphQLCompositeType | undefined {
  const type = schema.getType(name);
  return type && isCompositeType(type) ? type : undefined;
}
