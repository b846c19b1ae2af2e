import type { DataSource } from 'typeorm';
import { quantityColumns } from '../../common/quantity.inputs';
import type { Viewer } from '../../common/viewer';
import { actorRef, createStatement, deleteStatement, statementText, updateStatement } from '../assertion/assertion.write';
import type { ImplicationInput, ImplicationPatch } from './implication.write-inputs';

const target = (globalId: string, version?: number | null) => ({ table: 'implication' as const, typeName: 'Implication', globalId, version });

/** Records an analytic judgment with its sources, in one transaction. What the input leaves out stays not assessed. */
export function createImplication(dataSource: DataSource, viewer: Viewer, input: ImplicationInput): Promise<string> {
  const actors = (input.affectedActors ?? []).map((id, i) => actorRef(id, `input.affectedActors[${i}]`));
  return createStatement(dataSource, viewer, {
    table: 'implication',
    cited: 'implication_id',
    topic: input.topic,
    marking: input.marking,
    audience: input.audience,
    citations: input.citations,
    columns: {
      statement: statementText(input.statement),
      likelihood: input.likelihood,
      confidence: input.confidence ?? null,
      scope: input.scope ?? null,
      horizon: input.horizon ?? null,
      as_of: input.asOf ?? null,
      ...quantityColumns(input.quantity, 'input.quantity'),
    },
    references: actors,
    link: ['implication_actor', 'implication_id', actors.map((a) => a.id)],
  });
}

/** Required fields change only when given; optional ones also when given as null, which removes them. */
export function updateImplication(dataSource: DataSource, viewer: Viewer, globalId: string, patch: ImplicationPatch, version?: number | null) {
  const columns: Record<string, unknown> = {};
  if (patch.statement != null) columns.statement = statementText(patch.statement);
  if (patch.likelihood != null) columns.likelihood = patch.likelihood;
  if (patch.confidence !== undefined) columns.confidence = patch.confidence;
  if (patch.scope !== undefined) columns.scope = patch.scope;
  if (patch.horizon !== undefined) columns.horizon = patch.horizon;
  if (patch.asOf !== undefined) columns.as_of = patch.asOf;
  if (patch.quantity !== undefined) Object.assign(columns, quantityColumns(patch.quantity, 'input.quantity'));
  return updateStatement(dataSource, viewer, target(globalId, version), columns, patch);
}

export const deleteImplication = (dataSource: DataSource, viewer: Viewer, globalId: string) => deleteStatement(dataSource, viewer, target(globalId));
