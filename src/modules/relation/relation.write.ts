import type { DataSource } from 'typeorm';
import { badUserInput } from '../../common/errors';
import type { Viewer } from '../../common/viewer';
import { actorRef, createStatement, deleteStatement, updateStatement } from '../assertion/assertion.write';
import type { ActorRelationInput, ActorRelationPatch } from './relation.write-inputs';

const target = (globalId: string) => ({ table: 'actor_relation' as const, typeName: 'ActorRelation', globalId });

export function createRelation(dataSource: DataSource, viewer: Viewer, input: ActorRelationInput): Promise<string> {
  if (input.validFrom && input.validTo && input.validFrom > input.validTo) throw badUserInput('input.validTo', 'it ends before it begins');
  const from = actorRef(input.from, 'input.from');
  const to = actorRef(input.to, 'input.to');
  if (from.id === to.id) throw badUserInput('input.to', 'an actor has no relation to itself');
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
  });
}

export function updateRelation(dataSource: DataSource, viewer: Viewer, globalId: string, patch: ActorRelationPatch) {
  const columns: Record<string, unknown> = {};
  if (patch.validTo != null) columns.valid_to = patch.validTo;
  if (patch.description != null) columns.description = patch.description.trim() || null;
  return updateStatement(dataSource, viewer, target(globalId), columns, patch);
}

export const deleteRelation = (dataSource: DataSource, viewer: Viewer, globalId: string) => deleteStatement(dataSource, viewer, target(globalId));
