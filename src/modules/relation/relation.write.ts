import type { DataSource, EntityManager } from 'typeorm';
import { badUserInput } from '../../common/errors';
import type { Viewer } from '../../common/viewer';
import { actorRef, createStatement, deleteStatement, updateStatement } from '../assertion/assertion.write';
import type { ActorRelationInput, ActorRelationPatch } from './relation.write-inputs';
import { Vocabulary } from '../vocabulary/vocabularies';

const target = (globalId: string, version?: number | null) => ({ table: 'actor_relation' as const, typeName: 'ActorRelation', globalId, version });

// A relation ending before it begins, or between an actor and itself, is refused by the table's checks
// (relation_validity_ordered, relation_distinct_actors), which name input.validTo and input.to as well as a check here would.
export function createRelation(dataSource: DataSource, viewer: Viewer, input: ActorRelationInput): Promise<string> {
  const from = actorRef(input.from, 'input.from');
  const to = actorRef(input.to, 'input.to');
  return createStatement(dataSource, viewer, {
    table: 'actor_relation',
    cited: 'relation_id',
    topic: input.topic,
    marking: input.marking,
    audience: input.audience,
    citations: input.citations,
    columns: {
      from_actor_id: from.id,
      to_actor_id: to.id,
      type: input.type,
      valid_from: input.validFrom ?? null,
      valid_to: input.validTo ?? null,
      description: input.description?.trim() || null,
    },
    references: [from, to],
    terms: [{ vocabulary: Vocabulary.RELATION_TYPE, term: input.type, path: 'input.type' }],
  });
}

export function updateRelation(dataSource: DataSource, viewer: Viewer, globalId: string, patch: ActorRelationPatch, version?: number | null) {
  const columns: Record<string, unknown> = {};
  if (patch.validTo != null) columns.valid_to = patch.validTo;
  if (patch.description != null) columns.description = patch.description.trim() || null;
  // A new end is checked against the stored beginning.
  const endsAfterItBegins = async (em: EntityManager, id: string) => {
    if (patch.validTo == null) return;
    const [{ valid_from: validFrom }]: Array<{ valid_from: string | null }> = await em.query(`SELECT valid_from::text FROM actor_relation WHERE id = $1`, [id]);
    if (validFrom && validFrom > patch.validTo) throw badUserInput('input.validTo', `the relation begins on ${validFrom}: it cannot end before`);
  };
  return updateStatement(dataSource, viewer, target(globalId, version), columns, patch, endsAfterItBegins);
}

export const deleteRelation = (dataSource: DataSource, viewer: Viewer, globalId: string) => deleteStatement(dataSource, viewer, target(globalId));
