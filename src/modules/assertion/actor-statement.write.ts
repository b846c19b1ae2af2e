import type { DataSource, EntityManager } from 'typeorm';
import type { Marking } from '../../common/marking';
import { quantityColumns, type QuantityInput } from '../../common/quantity.inputs';
import type { Viewer } from '../../common/viewer';
import type { CitationInput } from '../citation/citation.write-inputs';
import { requireLive } from '../item/item.write';
import { actorRef, createStatement, deleteStatement, statementText, updateStatement } from './assertion.write';

/** What capabilities and challenges share: an actor, a category, a sentence and perhaps a number. */
export interface ActorStatementInput {
  topic: string;
  actor: string;
  category: string;
  statement: string;
  quantity?: QuantityInput | null;
  marking?: Marking | null;
  audience?: string[] | null;
  citations: CitationInput[];
}

export interface ActorStatementPatch {
  topic?: string | null;
  actor?: string | null;
  category?: string | null;
  statement?: string | null;
  quantity?: QuantityInput | null;
  marking?: Marking | null;
  audience?: string[] | null;
}

/** Which kind, and the vocabulary of its categories. */
export type ActorStatementKind = { table: 'capability' | 'challenge'; typeName: 'Capability' | 'Challenge'; vocabulary: string };

export function createActorStatement(dataSource: DataSource, viewer: Viewer, kind: ActorStatementKind, input: ActorStatementInput) {
  const actor = actorRef(input.actor, 'input.actor');
  return createStatement(dataSource, viewer, {
    table: kind.table,
    cited: `${kind.table}_id`,
    topic: input.topic,
    marking: input.marking,
    audience: input.audience,
    citations: input.citations,
    columns: {
      actor_id: actor.id,
      category: input.category,
      statement: statementText(input.statement),
      ...quantityColumns(input.quantity, 'input.quantity'),
    },
    references: [actor],
    terms: [{ vocabulary: kind.vocabulary, term: input.category, path: 'input.category' }],
  });
}

export function updateActorStatement(
  dataSource: DataSource,
  viewer: Viewer,
  kind: ActorStatementKind,
  globalId: string,
  patch: ActorStatementPatch,
  version?: number | null,
) {
  const columns: Record<string, unknown> = {};
  if (patch.statement != null) columns.statement = statementText(patch.statement);
  if (patch.category != null) columns.category = patch.category;
  if (patch.quantity !== undefined) Object.assign(columns, quantityColumns(patch.quantity, 'input.quantity'));
  // Moved to another actor: one the writer may see, and that stands.
  const actor = patch.actor != null ? actorRef(patch.actor, 'input.actor') : null;
  const toActor = async (em: EntityManager) => {
    if (!actor) return;
    await requireLive(em, viewer, [actor]);
    return { actor_id: actor.id };
  };
  const terms = patch.category != null ? [{ vocabulary: kind.vocabulary, term: patch.category, path: 'input.category' }] : [];
  return updateStatement(dataSource, viewer, { table: kind.table, typeName: kind.typeName, globalId, version }, columns, patch, toActor, terms);
}

export const deleteActorStatement = (dataSource: DataSource, viewer: Viewer, kind: ActorStatementKind, globalId: string) =>
  deleteStatement(dataSource, viewer, { table: kind.table, typeName: kind.typeName, globalId });
