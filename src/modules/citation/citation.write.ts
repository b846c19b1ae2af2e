import { v4 as uuid } from 'uuid';
import type { DataSource, EntityManager } from 'typeorm';
import { badUserInput, conflict } from '../../common/errors';
import { highestMarking, Marking } from '../../common/marking';
import type { Viewer } from '../../common/viewer';
import { visibleCondition } from '../../read/access';
import { fromGlobalId } from '../../read/global-id';
import { citedColumns, kindOfType, STATEMENT_KINDS, statementKinds, type CitedColumn, type StatementTable } from '../../registry/statement-kinds';
import { itemAccessFor, type ItemAccess } from '../assertion/item-access';
import { writeTransaction } from '../idempotency/idempotency';
import { accessOf, lockItem, requireLive } from '../item/item.write';
import { changedAccess, changesAccess, type AccessChange } from '../release/access-change';
import { storedEvidence } from '../release/derivation';
import { isRelease, withinDerivation } from '../release/release.rules';
import { checkRelay } from '../source/source.write';
import { citationPointer, type CitationPointer } from './citation.pointer';
import type { CitationInput } from './citation.write-inputs';

/** A citation input with its fields checked, before the transaction. */
export interface CheckedCitation extends CitationInput {
  sourceId: string;
  /** The original its words pass on, when another's. */
  relayedFromId: string | null;
  pointer: CitationPointer;
  /** Where it is in the input, for errors. */
  path: string;
}

export function checkedCitation(c: CitationInput, path: string): CheckedCitation {
  if (!Number.isInteger(c.credibility) || c.credibility < 1 || c.credibility > 6) throw badUserInput(`${path}.credibility`, 'credibility is graded 1 to 6');
  const pointer = citationPointer(c, path);
  const sourceId = fromGlobalId(c.source, `${path}.source`, ['Source']).id;
  const relayedFromId = c.relayedFrom ? fromGlobalId(c.relayedFrom, `${path}.relayedFrom`, ['Source']).id : null;
  if (relayedFromId === sourceId) throw badUserInput(`${path}.relayedFrom`, 'a source does not relay itself');
  return { ...c, pointer, sourceId, relayedFromId, path };
}

/** A checked citation with who may read its source and itself. */
export type MarkedCitation = CheckedCitation & { sourceAccess: ItemAccess; access: ItemAccess };

/**
 * Who may read new citations of a statement read by `statement`. A citation is marked like its statement, or like its
 * source when that is marked higher, unless it is marked itself; it is never read by more people than its source,
 * which must be one the writer may see and that stands.
 */
export async function markCitations(em: EntityManager, viewer: Viewer, statement: ItemAccess, citations: CheckedCitation[]): Promise<MarkedCitation[]> {
  await requireLive(
    em,
    viewer,
    citations.flatMap((c) => [
      { table: 'source' as const, id: c.sourceId, path: `${c.path}.source` },
      ...(c.relayedFromId ? [{ table: 'source' as const, id: c.relayedFromId, path: `${c.path}.relayedFrom` }] : []),
    ]),
  );
  for (const c of citations) if (c.relayedFromId) await checkRelay(em, viewer, c.relayedFromId, `${c.path}.relayedFrom`);
  const sources = await accessOf(
    em,
    'source',
    citations.map((c) => c.sourceId),
  );
  return citations.map((c) => {
    const source = sources.get(c.sourceId)!;
    const marking = c.marking ?? highestMarking([statement.marking, source.marking]);
    const audience = marking !== Marking.RED ? [] : marking === statement.marking ? statement.audience : source.audience;
    const own = itemAccessFor(viewer, marking, audience, c.path, statement.organisation);
    if (isRelease(source, own)) throw badUserInput(`${c.path}.marking`, 'a citation cannot be read by more people than its source');
    return { ...c, sourceAccess: source, access: own };
  });
}

/** Stores marked citations of the statement `statementId`, pointed at by citation column `cited`. Returns their uuids. */
export async function insertCitations(em: EntityManager, cited: string, statementId: string, citations: MarkedCitation[]): Promise<string[]> {
  const ids: string[] = [];
  for (const c of citations) {
    const id = uuid();
    const { quote, url, page, paragraph, accessedOn } = c.pointer;
    await em.query(
      `INSERT INTO citation (id, source_id, relayed_from_id, verb, quote, url, page, paragraph, accessed_on, credibility, ${cited}, marking, organisation, audience)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [
        id,
        c.sourceId,
        c.relayedFromId,
        c.verb,
        quote,
        url,
        page,
        paragraph,
        accessedOn,
        c.credibility,
        statementId,
        c.access.marking,
        c.access.organisation,
        c.access.audience,
      ],
    );
    ids.push(id);
  }
  return ids;
}

const STATEMENT_TYPES = statementKinds.map((k) => STATEMENT_KINDS[k].typeName);

/** A statement still rests on sources that all of its readers may read: adding or removing a citation keeps it so. */
async function checkEvidence(em: EntityManager, table: StatementTable, statement: ItemAccess & { id: string }, path: string) {
  if (!withinDerivation(await storedEvidence(em, table, statement.id), statement)) {
    throw badUserInput(path, 'the statement would rest only on sources fewer people may read than may read it: raise its marking first');
  }
}

/**
 * Adds a citation to a statement that stands and that the viewer may see (a corroborating or denying source that
 * arrived later), under the marking rules of a new statement's citations. Returns the citation's uuid.
 */
export async function addCitation(dataSource: DataSource, viewer: Viewer, statementId: string, input: CitationInput): Promise<string> {
  const { typeName } = fromGlobalId(statementId, 'statement', STATEMENT_TYPES);
  const { table, cited } = STATEMENT_KINDS[kindOfType(typeName)!];
  const citation = checkedCitation(input, 'input');
  return writeTransaction(dataSource, async (em) => {
    // Locked, so that citations added and removed at once are counted one after the other.
    const { version: _, retracted, ...statement } = await lockItem(em, viewer, { table, typeName, globalId: statementId }, null, 'statement');
    if (retracted) throw badUserInput('statement', 'the statement is retracted');
    const [marked] = await markCitations(em, viewer, statement, [citation]);
    const [id] = await insertCitations(em, cited, statement.id, [marked]);
    await checkEvidence(em, table, statement, 'input.source');
    return id;
  });
}

/** The statement a citation row supports. */
function statementOf(row: Record<CitedColumn, string | null>) {
  const kind = statementKinds.find((k) => row[STATEMENT_KINDS[k].cited] !== null)!;
  return { ...STATEMENT_KINDS[kind], id: row[STATEMENT_KINDS[kind].cited]! };
}

/**
 * Removes a citation the viewer may see from its statement by retracting it: it stays readable by id with its reason.
 * The statement keeps at least one citation the writer may see, and still rests on sources all its readers may read.
 */
export async function removeCitation(dataSource: DataSource, viewer: Viewer, globalId: string, r: { version?: number | null; reason: string }): Promise<void> {
  const reason = r.reason.trim();
  if (!reason) throw badUserInput('reason', 'say why the citation goes');
  await writeTransaction(dataSource, async (em) => {
    const citation = await lockItem(em, viewer, { table: 'citation', typeName: 'Citation', globalId }, r.version);
    if (citation.retracted) throw conflict(`Citation ${globalId} is removed already`);
    const [row]: Array<Record<CitedColumn, string | null>> = await em.query(`SELECT ${citedColumns.join(', ')} FROM citation WHERE id = $1`, [citation.id]);
    const { table, cited, typeName } = statementOf(row);
    const [statement]: Array<ItemAccess & { id: string }> = await em.query(
      `SELECT id, marking, organisation, audience FROM ${table} WHERE id = $1 FOR UPDATE`,
      [row[cited]],
    );
    const [{ n }]: Array<{ n: number }> = await em.query(
      `SELECT count(*)::int AS n FROM citation c WHERE c.${cited} = $1 AND c.retracted_at IS NULL AND ${visibleCondition(viewer, 'c', 'citation')}`,
      [statement.id],
    );
    if (n < 2) throw conflict(`this is the last citation of its ${typeName} that you may see: a statement keeps at least one (retract the statement instead)`);
    await em.query(`UPDATE citation SET retracted_at = now(), retraction_reason = $2, updated_at = now() WHERE id = $1`, [citation.id, reason]);
    await checkEvidence(em, table, statement, 'id');
  });
}

/**
 * Puts a removed citation the viewer may see back on its statement, which must stand, as must its source; the statement
 * still rests on sources all of its readers may read.
 */
export async function restoreCitation(dataSource: DataSource, viewer: Viewer, globalId: string, version?: number | null): Promise<void> {
  await writeTransaction(dataSource, async (em) => {
    const citation = await lockItem(em, viewer, { table: 'citation', typeName: 'Citation', globalId }, version);
    if (!citation.retracted) throw conflict(`Citation ${globalId} is not removed`);
    const [row]: Array<Record<CitedColumn, string | null> & { source_id: string }> = await em.query(
      `SELECT source_id, ${citedColumns.join(', ')} FROM citation WHERE id = $1`,
      [citation.id],
    );
    const { table, cited } = statementOf(row);
    await requireLive(em, viewer, [
      { table, id: row[cited]!, path: 'id' },
      { table: 'source', id: row.source_id, path: 'id' },
    ]);
    const [statement]: Array<ItemAccess & { id: string }> = await em.query(
      `SELECT id, marking, organisation, audience FROM ${table} WHERE id = $1 FOR UPDATE`,
      [row[cited]],
    );
    await em.query(`UPDATE citation SET retracted_at = NULL, retraction_reason = NULL, superseded_by_id = NULL, updated_at = now() WHERE id = $1`, [
      citation.id,
    ]);
    await checkEvidence(em, table, statement, 'id');
  });
}

/** Sets (or, with null, clears) the original a citation's words pass on: one the writer may see, relaying no other. */
async function relayCitation(em: EntityManager, viewer: Viewer, id: string, relayedFrom: string | null): Promise<void> {
  if (relayedFrom) {
    await requireLive(em, viewer, [{ table: 'source', id: relayedFrom, path: 'input.relayedFrom' }]);
    await checkRelay(em, viewer, relayedFrom, 'input.relayedFrom');
    const [{ own }]: Array<{ own: boolean }> = await em.query(`SELECT source_id = $2 AS own FROM citation WHERE id = $1`, [id, relayedFrom]);
    if (own) throw badUserInput('input.relayedFrom', 'a source does not relay itself');
  }
  await em.query(`UPDATE citation SET relayed_from_id = $2, updated_at = now() WHERE id = $1 AND relayed_from_id IS DISTINCT FROM $2`, [id, relayedFrom]);
}

/**
 * Re-marks a citation the viewer may read (with its statement and source). Raising is open to the writers of its
 * organisation who read it; lowering or widening is a release, never beyond the readers of the source it quotes.
 */
export async function remarkCitation(
  dataSource: DataSource,
  viewer: Viewer,
  globalId: string,
  change: AccessChange & { relayedFrom?: string | null },
  version?: number | null,
): Promise<void> {
  const relayedFrom = change.relayedFrom ? fromGlobalId(change.relayedFrom, 'input.relayedFrom', ['Source']).id : null;
  await writeTransaction(dataSource, async (em) => {
    const { id, version: _, retracted: __, ...current } = await lockItem(em, viewer, { table: 'citation', typeName: 'Citation', globalId }, version);
    if (change.relayedFrom !== undefined) await relayCitation(em, viewer, id, relayedFrom);
    if (!changesAccess(change)) return;
    const [{ source }]: Array<{ source: ItemAccess }> = await em.query(
      `SELECT json_build_object('marking', s.marking, 'organisation', s.organisation, 'audience', s.audience) AS source
       FROM citation c JOIN source s ON s.id = c.source_id WHERE c.id = $1`,
      [id],
    );
    const next = await changedAccess(em, viewer, { table: 'citation', id, current, derivedFrom: async () => [source] }, change);
    await em.query(`UPDATE citation SET marking = $2, organisation = $3, audience = $4, updated_at = now() WHERE id = $1`, [
      id,
      next.marking,
      next.organisation,
      next.audience,
    ]);
  });
}
