import { GraphQLError, type ValidationRule } from 'graphql';

/**
 * Refuses an alias beginning with "__": such names are GraphQL's own (`__typename` tells an object's type), and an
 * aliased field under one would stand where the service reads the type of what it compiled.
 */
export const reservedAliasesRule: ValidationRule = (context) => ({
  Field(node) {
    if (node.alias?.value.startsWith('__')) {
      context.reportError(
        new GraphQLError(`The alias "${node.alias.value}" begins with "__", which GraphQL reserves for its own names: choose another.`, { nodes: [node] }),
      );
    }
  },
});
