import { GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { ActorResolver } from '../modules/actor/actor.resolver';
import { AggregateResolver } from '../modules/aggregate/aggregate.resolver';
import { BriefResolver } from '../modules/brief/brief.resolver';
import { ApiKeyResolver } from '../modules/identity/api-key.resolver';
import { scopeMutationsToIdempotencyKeys } from '../modules/idempotency/idempotency';
import { authorMutations } from '../modules/history/change-author';
import { HistoryResolver } from '../modules/history/history.resolver';
import { LiveResolver } from '../modules/live/live.resolver';
import { authChecker } from '../modules/identity/auth-checker';
import { BriefDefinitionResolver } from '../modules/brief-definition/brief-definition.resolver';
import { BriefRunResolver } from '../modules/brief-run/brief-run.resolver';
import { DefinitionDeliveryResolver, DeliveryTargetResolver, RunDeliveryResolver } from '../modules/delivery/delivery.resolver';
import { CitationResolver } from '../modules/citation/citation.resolver';
import { ImportResolver } from '../modules/import/import.resolver';
import { NodeResolver } from '../modules/node/node.resolver';
import { ReleaseResolver } from '../modules/release/release.resolver';
import { SearchResolver } from '../modules/search/search.resolver';
import { StatementResolver } from '../modules/statement/statement.resolver';
import { StixResolver } from '../modules/stix/stix.resolver';
import { TopicResolver } from '../modules/topic/topic.resolver';
import { VocabularyResolver } from '../modules/vocabulary/vocabulary.resolver';
import { registeredEntities, registeredResolvers } from '../registry/registry';

export async function buildDossierSchema(): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: [
      TopicResolver,
      CitationResolver,
      ActorResolver,
      ReleaseResolver,
      NodeResolver,
      BriefResolver,
      BriefDefinitionResolver,
      BriefRunResolver,
      DefinitionDeliveryResolver,
      RunDeliveryResolver,
      DeliveryTargetResolver,
      ApiKeyResolver,
      ImportResolver,
      VocabularyResolver,
      HistoryResolver,
      SearchResolver,
      StatementResolver,
      StixResolver,
      AggregateResolver,
      LiveResolver,
      ...registeredResolvers(),
    ],
    // Types reachable only through interfaces must be named so they are in the schema.
    orphanedTypes: registeredEntities,
    validate: false,
    authChecker,
    // Required by type-graphql for any subscription, but never used: each subscription brings its own `subscribe`,
    // fed from PostgreSQL by the live hub (modules/live), so that every instance delivers every event.
    pubSub: {
      publish: () => {
        throw new Error('events are published through PostgreSQL (modules/live), not in process');
      },
      subscribe: () => {
        throw new Error('subscriptions are fed by the live hub (modules/live)');
      },
    },
  });
  const query = schema.getQueryType();
  if (query) {
    query.description = 'Compose a brief: start from a topic, an actor, a source or a list of statements, and choose the fields and filters you need.';
  }
  const mutation = schema.getMutationType();
  if (mutation) {
    mutation.description =
      'Writes, each all or nothing, each naming the role it needs: record, change, retract and restore topics, actors, places, sources and statements, add and remove citations, re-mark citations (ANALYST; lowering a marking or widening an audience is a release, RELEASER); import documents (ANALYST); manage brief definitions (REPORTER); merge actors, delete statements for good and manage API keys (ADMIN). Changes take the `version` read (a stale one is CONFLICT) and a `comment` saying why.';
  }
  const subscription = schema.getSubscriptionType();
  if (subscription) {
    subscription.description =
      'Live updates over WebSocket (graphql-ws at /graphql): changes as they are committed by any instance, and brief runs as they finish, each checked against your access when delivered.';
  }
  scopeMutationsToIdempotencyKeys(schema);
  authorMutations(schema);
  return schema;
}

/** The SDL committed as schema/schema.graphql; a test fails when the two differ. */
export const printDossierSchema = (schema: GraphQLSchema) => `${printSchema(lexicographicSortSchema(schema))}\n`;
