import { v4 as uuid } from 'uuid';
import type { DataSource, EntityManager } from 'typeorm';
import { badUserInput, notFound } from '../../common/errors';
import { highestMarking, Marking } from '../../common/marking';
import type { Viewer } from '../../common/viewer';
import { visibleCondition, type ItemTable, type StatementTable } from '../../read/access';
import { fromGlobalId } from '../../read/global-id';
import { citationPointer } from '../citation/citation.pointer';
import type { CitationInput } from '../citation/citation.write-inputs';
import { ReportingVerb } from '../citation/reporting-verb';
import { changedAccess, changesAccess, type AccessChange } from '../release/access-change';
import { statementEvidence, storedEvidence } from '../release/derivation';
import { isRelease, withinDerivation } from '../release/release.rules';
import { writeTransaction } from '../idempotency/idempotency';
import { itemAccessFor, type ItemAccess } from './item-access';

// The write path shared by statement kinds: checked input, one transaction, and only what the writer may see.

/** Ids among `ids` of rows of `table` the viewer may see. */
export async function visibleIds(em: EntityManager, viewer: Viewer, table: ItemTable, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows: Array<{ id: string }> = await em.query(`SELECT v.id FROM ${table} v WHERE v.id = ANY($1::uuid[]) AND ${visibleCondition(viewer, 'v', table)}`, [
    ids,
  ]);
  return new Set(rows.map((r) => r.id));
}

/** Refers to rows the viewer may see, or is BAD_USER_INPUT naming the first one that is not there for them. */
export async function requireVisible(em: EntityManager, viewer: Viewer, table: ItemTable, refs: Array<{ id: string; path: string }>, what: string) {
  const seen = await visibleIds(
    em,
    viewer,
    table,
    refs.map((r) => r.id),
  );
  const missing = refs.find((r) => !seen.has(r.id));
  if (missing) throw badUserInput(missing.path, `no such ${what}`);
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
  /** Rows it refers to, checked visible (the actor of a capability, an event's place ...); BAD_USER_INPUT names the path. */
  references: Array<{ table: 'actor' | 'location'; id: string; path: string }>;
  /** Rows of a link table to write for it: [table, owner column, actor ids]. */
  link?: [string, string, string[]];
}

/** Stores a statement with its citations, all or nothing. Returns its uuid. */
export async function createStatement(dataSource: DataSource, viewer: Viewer, s: NewStatement): Promise<string> {
  const access = itemAccessFor(viewer, s.marking, s.audience, 'input');
  if (!s.citations.length) throw badUserInput('input.citations', 'a statement needs at least one source');
  const citations = s.citations.map((c, i) => {
    const path = `input.citations[${i}]`;
    if (!Number.isInteger(c.credibility) || c.credibility < 1 || c.credibility > 6) throw badUserInput(`${path}.credibility`, 'credibility is graded 1 to 6');
    const pointer = citationPointer(c, path);
    const sourceId = fromGlobalId(c.source, `${path}.source`, ['Source']).id;
    return { ...c, pointer, sourceId, path };
  });
  return writeTransaction(dataSource, async (em) => {
    const [topic]: Array<{ id: string }> = await em.query(`SELECT t.id FROM topic t WHERE t.slug = $1 AND ${visibleCondition(viewer, 't', 'topic')}`, [
      s.topic,
    ]);
    if (!topic) throw badUserInput('input.topic', `no topic "${s.topic}"`);
    for (const table of ['actor', 'location'] as const) {
      await requireVisible(
        em,
        viewer,
        table,
        s.references.filter((r) => r.table === table),
        table,
      );
    }
    await requireVisible(
      em,
      viewer,
      'source',
      citations.map((c) => ({ id: c.sourceId, path: `${c.path}.source` })),
      'source',
    );
    const sources = await accessOf(
      em,
      'source',
      citations.map((c) => c.sourceId),
    );
    // A citation is marked like its statement, or like its source when that is marked higher, unless it is marked
    // itself; it is never read by more people than its source.
    const cited = citations.map((c) => {
      const source = sources.get(c.sourceId)!;
      const marking = c.marking ?? highestMarking([access.marking, source.marking]);
      const audience = marking !== Marking.RED ? [] : marking === access.marking ? access.audience : source.audience;
      const own = itemAccessFor(viewer, marking, audience, c.path, access.organisation);
      if (isRelease(source, own)) throw badUserInput(`${c.path}.marking`, 'a citation cannot be read by more people than its source');
      return { ...c, source, access: own };
    });
    const evidence = statementEvidence(cited.map((c) => ({ source: c.source, denies: c.verb === ReportingVerb.DENIES })));
    if (!withinDerivation(evidence, access)) {
      throw badUserInput('input.marking', 'a statement cannot be read by more people than the sources it rests on');
    }
    const id = uuid();
    const row: Record<string, unknown> = { id, topic_id: topic.id, ...s.columns, ...accessColumns(access) };
    const names = Object.keys(row);
    await em.query(`INSERT INTO ${s.table} (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')})`, Object.values(row));
    if (s.link && s.link[2].length) {
      const [table, owner, actorIds] = s.link;
      await em.query(`INSERT INTO ${table} (${owner}, actor_id) SELECT $1, unnest($2::uuid[])`, [id, [...new Set(actorIds)]]);
    }
    for (const c of cited) {
      const { quote, url, page, paragraph, accessedOn } = c.pointer;
      await em.query(
        `INSERT INTO citation (id, source_id, verb, quote, url, page, paragraph, accessed_on, credibility, ${s.cited}, marking, organisation, audience)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
        [uuid(), c.sourceId, c.verb, quote, url, page, paragraph, accessedOn, c.credibility, id, c.access.marking, c.access.organisation, c.access.audience],
      );
    }
    return id;
  });
}

/** Who may read rows of `table`, by id. */
async function accessOf(em: EntityManager, table: ItemTable, ids: string[]): Promise<Map<string, ItemAccess>> {
  const rows: Array<ItemAccess & { id: string }> = await em.query(`SELECT id, marking, organisation, audience FROM ${table} WHERE id = ANY($1::uuid[])`, [ids]);
  return new Map(rows.map(({ id, ...access }) => [id, access]));
}

const accessColumns = (a: ItemAccess) => ({ marking: a.marking, organisation: a.organisation, audience: a.audience });

/** The statement behind a global id, if the viewer may see it; NOT_FOUND otherwise, as for any other lookup. */
export async function visibleStatement(em: EntityManager, viewer: Viewer, table: StatementTable, typeName: string, globalId: string): Promise<string> {
  return (await lockVisible(em, viewer, table, typeName, globalId)).id;
}

/** Locks a statement the viewer may see, read with its access in the same statement; NOT_FOUND otherwise. */
async function lockVisible(em: EntityManager, viewer: Viewer, table: StatementTable, typeName: string, globalId: string) {
  const { id } = fromGlobalId(globalId, 'id', [typeName]);
  const [row]: Array<ItemAccess & { id: string }> = await em.query(
    `SELECT v.id, v.marking, v.organisation, v.audience FROM ${table} v WHERE v.id = $1 AND ${visibleCondition(viewer, 'v', table)} FOR UPDATE`,
    [id],
  );
  if (!row) throw notFound(`${typeName} ${globalId}`);
  return row;
}

/**
 * Changes columns of a statement the viewer may see. A new marking or audience is checked as on creation; one that lets
 * more people read it is a release (see release/), recorded with its reason in the same transaction. `check` sees the
 * locked row before it changes, for rules that join new values to stored ones.
 */
export async function updateStatement(
  dataSource: DataSource,
  viewer: Viewer,
  target: { table: StatementTable; typeName: string; globalId: string },
  columns: Record<string, unknown>,
  change: AccessChange,
  check?: (em: EntityManager, id: string) => Promise<void>,
): Promise<void> {
  await writeTransaction(dataSource, async (em) => {
    const { id, ...current } = await lockVisible(em, viewer, target.table, target.typeName, target.globalId);
    await check?.(em, id);
    const row = { ...columns };
    if (changesAccess(change)) {
      const derivedFrom = () => storedEvidence(em, target.table, id);
      Object.assign(row, accessColumns(await changedAccess(em, viewer, { table: target.table, id, current, derivedFrom }, change)));
    }
    const names = Object.keys(row);
    if (!names.length) return;
    await em.query(`UPDATE ${target.table} SET ${names.map((n, i) => `${n} = $${i + 2}`).join(', ')}, updated_at = now() WHERE id = $1`, [
      id,
      ...Object.values(row),
    ]);
  });
}

export async function deleteStatement(dataSource: DataSource, viewer: Viewer, target: { table: StatementTable; typeName: string; globalId: string }) {
  await writeTransaction(dataSource, async (em) => {
    const id = await visibleStatement(em, viewer, target.table, target.typeName, target.globalId);
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
export const actorRef = (globalId: string, path: string) => ({ table: 'actor' as const, id: fromGlobalId(globalId, path, ['Actor']).id, path });
