import type { ApolloServerPlugin } from '@apollo/server';

const GRAPHQL_RESPONSE_JSON = 'application/graphql-response+json';

/**
 * GraphQL over HTTP: a client that accepts only `application/json` gets request errors (parse, validation,
 * variable coercion) with status 200, as the spec asks; `application/graphql-response+json` clients keep the 4xx.
 */
export const legacyJsonStatus: ApolloServerPlugin = {
  async requestDidStart({ request }) {
    if ((request.http?.headers.get('accept') ?? '').includes(GRAPHQL_RESPONSE_JSON)) return {};
    return {
      async willSendResponse({ response }) {
        if (response.http.status === 400) response.http.status = 200;
      },
    };
  },
};
