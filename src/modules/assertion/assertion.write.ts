import { v4 as uuid } from 'uuid';
import type { DataSource, EntityManager } from 'typeorm';
import { badUserInput } from '../../common/errors';
import type { Marking } from '../../common/marking';
import type { Viewer } from '../../common/viewer';
import { visibleCondition, type ItemTable, type StatementTable } from '../../read/access';
import { fromGlobalId } from '../../read/global-id';
import { checkedCitation, insertCitations, markCitations } from '../citation/citation.write';
import type { CitationInput } from '../citation/citation.write-inputs';
import { ReportingVerb } from '../citation/reporting-verb';
import { accessColumns, insertRow, liveTopic, lockItem, requireLive, updateItem, type Reference } from '../item/item.write';
import type { AccessChange } from '../release/access-change';
import { statementEvidence, storedEvidence } from '../release/derivation';
import { withinDerivation } from '../release/release.rules';
import { writeTransaction } from '../idempotency/idempotency';
import { itemAccessFor } from './item-access';
import { requireTerms, type TermCheck } from '../vocabulary/vocabulary.service';

// The write path shared by statement kinds: checked input, one transaction, and only what the writer may see.

/** Ids among `ids` of rows of `table` the viewer may see. */
export async function visibleIds(em: EntityManager, viewer: Viewer, table: ItemTable, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows: Array<{ id: string }> = await em.query(`SELECT v.id FROM ${table} v WHERE v.id = ANY($1::uuid[]) AND ${visibleCondition(viewer, 'v', table)}`, [
    ids,
  ]);
  return new Set(rows.map((r) => r.id));
}

export interface NewStatement {
  table: StatementTable;
  /** The citation column pointing at this kind. */
  cited: string;
  topic: string;
  marking?: Marking | null;
  audience?: string[] | null;
  citations: CitationInput[];
  /** The kind's own columns, checked. */
  columns: Record<string, unknown>;
  /** Items it refers to (the actor of a capability, an event's place ...): visible and standing, or NOT_FOUND naming the path. */
  references: Reference[];
  /** Values of its vocabulary fields (a category, a relation type), each a usable term. */
  terms?: TermCheck[];
  /** Rows of a link table to write for it: [table, owner column, actor ids]. */
  link?: [string, string, string[]];
}

/** Stores a statement with its citations, all or nothing. Returns its uuid. */
export async function createStatement(dataSource: DataSource, viewer: Viewer, s: NewStatement): Promise<string> {
  const access = itemAccessFor(viewer, s.marking, s.audience, 'input');
  if (!s.citations.length) throw badUserInput('input.citations', 'a statement needs at least one source');
  const citations = s.citations.map((c, i) => checkedCitation(c, `input.citations[${i}]`));
  return writeTransaction(dataSource, async (em) => {
    const topicId = await liveTopic(em, viewer, s.topic, 'input.topic');
    await requireLive(em, viewer, s.references);
    await requireTerms(em, s.terms ?? []);
    const cited = await markCitations(em, viewer, access, citations);
    const evidence = statementEvidence(cited.map((c) => ({ source: c.sourceAccess, denies: c.verb === ReportingVerb.DENIES })));
    if (!withinDerivation(evidence, access)) {
      throw badUserInput('input.marking', 'a statement cannot be read by more people than the sources it rests on');
    }
    const id = uuid();
    await insertRow(em, s.table, { id, topic_id: topicId, ...s.columns, ...accessColumns(access) });
    if (s.link && s.link[2].length) {
      const [table, owner, actorIds] = s.link;
      await em.query(`INSERT INTO ${table} (${owner}, actor_id) SELECT $1, unnest($2::uuid[])`, [id, [...new Set(actorIds)]]);
    }
    await insertCitations(em, s.cited, id, cited);
    return id;
  });
}

/** A statement named by global id, and the version its writer read. */
export interface StatementTarget {
  table: StatementTable;
  typeName: string;
  globalId: string;
  version?: number | null;
}

/** What every statement change may carry besides its kind's columns: who may read it, and a move to another topic. */
export interface StatementChange extends AccessChange {
  topic?: string | null;
}

/**
 * Changes columns of a statement the viewer may see, perhaps moving it to another topic the writer may see. A new
 * marking or audience is checked as on creation; one that lets more people read it is a release (see release/),
 * bounded by the sources it rests on. `resolve` gives the columns that need the transaction (a new actor, checked
 * visible; a rule joining new values to stored ones).
 */
export function updateStatement(
  dataSource: DataSource,
  viewer: Viewer,
  target: StatementTarget,
  columns: Record<string, unknown>,
  change: StatementChange,
  resolve?: (em: EntityManager, id: string) => Promise<Record<string, unknown> | void>,
  terms: TermCheck[] = [],
): Promise<void> {
  return updateItem(dataSource, viewer, target, {
    columns,
    access: change,
    version: target.version,
    terms,
    resolve: async (em, id) => ({
      ...(change.topic != null ? { topic_id: await liveTopic(em, viewer, change.topic, 'input.topic') } : {}),
      ...(await resolve?.(em, id)),
    }),
    derivedFrom: (em, id) => storedEvidence(em, target.table, id),
  });
}

/** Deletes a statement the viewer may see for good, with its citations. */
export async function deleteStatement(dataSource: DataSource, viewer: Viewer, target: StatementTarget) {
  await writeTransaction(dataSource, async (em) => {
    const { id } = await lockItem(em, viewer, target);
    await em.query(`DELETE FROM ${target.table} WHERE id = $1`, [id]);
  });
  return target.globalId;
}

/** A statement's text: trimmed, and never empty. */
export function statementText(text: string, path = 'input.statement'): string {
  if (!text.trim()) throw badUserInput(path, 'a statement cannot be empty');
  return text.trim();
}

/** A reference to an actor by global id, for `references`. */
export const actorRef = (globalId: string, path: string): Reference => ({ table: 'actor', id: fromGlobalId(globalId, path, ['Actor']).id, path });
