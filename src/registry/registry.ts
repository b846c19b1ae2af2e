import type { ClassType } from 'type-graphql';
import type { ReadModel, TypeSpec } from '../read/model';
import { actorType } from '../modules/actor/actor.type';
import { capability } from '../modules/capability/capability';
import { challenge } from '../modules/challenge/challenge';
import { citationType } from '../modules/citation/citation.type';
import { eventType } from '../modules/event/event.type';
import { implicationType } from '../modules/implication/implication.type';
import { locationType } from '../modules/location/location.type';
import { relationType } from '../modules/relation/relation.type';
import { sourceType } from '../modules/source/source.type';
import { topicType } from '../modules/topic/topic.type';
import { readModelOf } from './read-model';
import { registryResolvers } from './resolvers';
import { itemMutations } from './item-mutations';
import { declareSupersession } from './supersession';
import { kindOfType, statementKinds, STATEMENT_KINDS } from './statement-kinds';

/** Every object type stored in a table of its own, each declared once. */
const TYPES: readonly TypeSpec[] = [
  topicType,
  actorType,
  locationType,
  sourceType,
  citationType,
  capability.type,
  challenge.type,
  implicationType,
  eventType,
  relationType,
] as TypeSpec[];

for (const type of TYPES) declareSupersession(type);

export const registry: ReadonlyMap<string, TypeSpec> = new Map(TYPES.map((t) => [t.typeName, t]));

/** The read model of every registered type, by GraphQL type name. */
export const readModels: ReadonlyMap<string, ReadModel> = new Map(TYPES.map((t) => [t.typeName, readModelOf(t as TypeSpec<never>)]));

/** The TypeORM entities of the registered types. */
export const registeredEntities: ClassType[] = TYPES.map((t) => t.entity);

let resolvers: ClassType[] | undefined;

/**
 * Resolver classes of the registered types: root fields, connection fields and mutations. Made once: each
 * class adds its fields to type-graphql's global metadata, so every schema build (one per test server) shares them.
 */
export const registeredResolvers = (): ClassType[] =>
  (resolvers ??= [...registryResolvers(registry), ...TYPES.flatMap((t) => (t.writes ? [itemMutations(t, t.writes)] : []))]);

// Every statement kind is a registered type that is written like one (hard deletion included), and only statements
// keep hard deletion: deleting anything else would take what rests on it along.
for (const kind of statementKinds) {
  const type = registry.get(STATEMENT_KINDS[kind].typeName);
  if (!type || type.table !== STATEMENT_KINDS[kind].table || !type.writes?.remove) throw new Error(`statement kind ${kind} is not registered as one`);
}
for (const type of TYPES) if (type.writes?.remove && !kindOfType(type.typeName)) throw new Error(`${type.typeName} is deleted but is no statement kind`);
