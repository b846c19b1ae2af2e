import type { ApolloServerPlugin } from '@apollo/server';
import { visit, type DocumentNode } from 'graphql';
import { asRequestError, badUserInput } from '../common/errors';

// PostgreSQL text cannot hold a NUL character: refuse it up front rather than fail inside a query.
const hasNul = (value: unknown): boolean =>
  typeof value === 'string'
    ? value.includes('\u0000')
    : Array.isArray(value)
      ? value.some(hasNul)
      : value !== null && typeof value === 'object' && Object.values(value).some(hasNul);

/** Per parsed document: Apollo reuses the document of a repeated query text, so each is walked once. */
const literalsWithNul = new WeakMap<DocumentNode, boolean>();

function literalHasNul(document: DocumentNode): boolean {
  let found = literalsWithNul.get(document);
  if (found === undefined) literalsWithNul.set(document, (found = walkForNul(document)));
  return found;
}

function walkForNul(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    StringValue(node) {
      if (node.value.includes('\u0000')) found = true;
    },
  });
  return found;
}

/** Strings with NUL characters, in variables or in the query, are BAD_USER_INPUT. */
export const refuseNulStrings: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ request, document }) {
        if (hasNul(request.variables) || literalHasNul(document)) {
          throw asRequestError(badUserInput('(strings)', 'text may not contain NUL characters'));
        }
      },
    };
  },
};
