import { GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { ActorResolver } from '../modules/actor/actor.resolver';
import { AggregateResolver } from '../modules/aggregate/aggregate.resolver';
import { BriefResolver } from '../modules/brief/brief.resolver';
import { ApiKeyResolver } from '../modules/identity/api-key.resolver';
import { scopeMutationsToIdempotencyKeys } from '../modules/idempotency/idempotency';
import { authorMutations } from '../modules/history/change-author';
import { HistoryResolver } from '../modules/history/history.resolver';
import { authChecker } from '../modules/identity/auth-checker';
import { BriefDefinitionResolver } from '../modules/brief-definition/brief-definition.resolver';
import { BriefRunResolver } from '../modules/brief-run/brief-run.resolver';
import { DefinitionDeliveryResolver, DeliveryTargetResolver, RunDeliveryResolver } from '../modules/delivery/delivery.resolver';
import { CitationResolver } from '../modules/citation/citation.resolver';
import { ImportResolver } from '../modules/import/import.resolver';
import { NodeResolver } from '../modules/node/node.resolver';
import { ReleaseResolver } from '../modules/release/release.resolver';
import { SearchResolver } from '../modules/search/search.resolver';
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
      AggregateResolver,
      ...registeredResolvers(),
    ],
    // Types reachable only through interfaces must be named so they are in the schema.
    orphanedTypes: registeredEntities,
    validate: false,
    authChecker,
  });
  const query = schema.getQueryType();
  if (query) {
    query.description = 'Compose a brief: start from a topic, an actor, a source or a list of statements, and choose the fields and filters you need.';
  }
  const mutation = schema.getMutationType();
  if (mutation) {
    mutation.description =
      'Writes, each all or nothing, each naming the role it needs: record, change, retract and restore topics, actors, places, sources and statements, add and remove citations, re-mark citations (ANALYST; lowering a marking or widening an audience is a release, RELEASER); import documents (ANALYST); merge actors, delete statements for good, manage brief definitions and API keys (ADMIN). Changes take the `version` read (a stale one is CONFLICT) and a `comment` saying why.';
  }
  scopeMutationsToIdempotencyKeys(schema);
  authorMutations(schema);
  return schema;
}

/** The SDL committed as schema/schema.graphql; a test fails when the two differ. */
export const printDossierSchema = (schema: GraphQLSchema) => `${printSchema(lexicographicSortSchema(schema))}\n`;
