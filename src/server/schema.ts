import { GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { BriefResolver } from '../modules/brief/brief.resolver';
import { ApiKeyResolver } from '../modules/identity/api-key.resolver';
import { scopeMutationsToIdempotencyKeys } from '../modules/idempotency/idempotency';
import { authChecker } from '../modules/identity/auth-checker';
import { BriefDefinitionResolver } from '../modules/brief-definition/brief-definition.resolver';
import { BriefRunResolver } from '../modules/brief-run/brief-run.resolver';
import { ActorResolver } from '../modules/actor/actor.resolver';
import { CapabilityResolver } from '../modules/capability/capability.resolver';
import { ChallengeResolver } from '../modules/challenge/challenge.resolver';
import { CitationResolver } from '../modules/citation/citation.resolver';
import { EventResolver } from '../modules/event/event.resolver';
import { ImplicationResolver } from '../modules/implication/implication.resolver';
import { LocationResolver } from '../modules/location/location.resolver';
import { NodeResolver } from '../modules/node/node.resolver';
import { ActorRelationResolver } from '../modules/relation/relation.resolver';
import { ReleaseResolver } from '../modules/release/release.resolver';
import { SourceResolver } from '../modules/source/source.resolver';
import { TopicResolver } from '../modules/topic/topic.resolver';
import { Location } from '../modules/location/location.entity';
import { Citation } from '../modules/citation/citation.entity';

export async function buildDossierSchema(): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: [
      TopicResolver,
      ActorResolver,
      SourceResolver,
      CapabilityResolver,
      ChallengeResolver,
      ImplicationResolver,
      EventResolver,
      ActorRelationResolver,
      CitationResolver,
      ReleaseResolver,
      LocationResolver,
      NodeResolver,
      BriefResolver,
      BriefDefinitionResolver,
      BriefRunResolver,
      ApiKeyResolver,
    ],
    // Types reachable only through interfaces must be named so they are in the schema.
    orphanedTypes: [Location, Citation],
    validate: false,
    authChecker,
  });
  const query = schema.getQueryType();
  if (query) {
    query.description =
      'Compose a brief: start from a topic, an actor, a source or a list of statements, and choose the fields and filters you need.';
  }
  const mutation = schema.getMutationType();
  if (mutation) {
    mutation.description =
      'Writes, each all or nothing, each naming the role it needs: record, change and delete statements with their citations, and re-mark citations (ANALYST; lowering a marking or widening an audience is a release, RELEASER); manage brief definitions and API keys (ADMIN).';
  }
  scopeMutationsToIdempotencyKeys(schema);
  return schema;
}

/** The SDL committed as schema/schema.graphql; a test fails when the two differ. */
export const printDossierSchema = (schema: GraphQLSchema) => `${printSchema(lexicographicSortSchema(schema))}\n`;
