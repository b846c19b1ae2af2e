import { v4 as uuid } from 'uuid';
import type { DataSource, EntityManager } from 'typeorm';
import { badUserInput, notFound } from '../../common/errors';
import { highestMarking, Marking, MARKINGS } from '../../common/marking';
import type { Viewer } from '../../common/viewer';
import { CITED_STATEMENT, visibleTo, type ItemTable, type StatementTable } from '../../read/access';
import { fromGlobalId } from '../../read/global-id';
import type { CitationInput } from '../citation/citation.write-inputs';
import { ReportingVerb } from '../citation/reporting-verb';
import { checkAndRecordRelease } from '../release/release.rules';
import { itemAccessFor, type ItemAccess } from './item-access';

// The write path shared by statement kinds: checked input, one transaction, and only what the writer may see.

/** Ids among `ids` of rows of `table` the viewer may see. */
export async function visibleIds(em: EntityManager, viewer: Viewer, table: ItemTable, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows: Array<{ id: string }> = await em.query(`SELECT v.id FROM ${table} v WHERE v.id = ANY($1::uuid[]) AND ${visibleTo(viewer, 'v', table)}`, [ids]);
  return new Set(rows.map((r) => r.id));
}

/** Refers to rows the viewer may see, or is BAD_USER_INPUT naming the first one that is not there for them. */
export async function requireVisible(em: EntityManager, viewer: Viewer, table: ItemTable, refs: Array<{ id: string; path: string }>, what: string) {
  const seen = await visibleIds(em, viewer, table, refs.map((r) => r.id));
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
    if (!c.quote.trim()) throw badUserInput(`${path}.quote`, 'a citation needs the words of its source');
    const sourceId = fromGlobalId(c.source, `${path}.source`, ['Source']).id;
    return { ...c, sourceId, path };
  });
  return dataSource.transaction(async (em) => {
    const [topic] = await em.query(`SELECT t.id FROM topic t WHERE t.slug = $1 AND ${visibleTo(viewer, 't', 'topic')}`, [s.topic]);
    if (!topic) throw badUserInput('input.topic', `no topic "${s.topic}"`);
    for (const table of ['actor', 'location'] as const) {
      await requireVisible(em, viewer, table, s.references.filter((r) => r.table === table), table);
    }
    await requireVisible(em, viewer, 'source', citations.map((c) => ({ id: c.sourceId, path: `${c.path}.source` })), 'source');
    const sourceMarkings = await markingsOf(em, 'source', citations.map((c) => c.sourceId));
    // A citation quotes its source, so it is never marked below it; a statement never below all of its evidence.
    const cited = citations.map((c) => {
      const floor = sourceMarkings.get(c.sourceId)!;
      if (c.marking && below(c.marking, floor)) throw badUserInput(`${c.path}.marking`, `its source is marked ${floor}: a citation cannot be marked below it`);
      return { ...c, access: itemAccessFor(viewer, c.marking ?? highestMarking([access.marking, floor]), access.audience, c.path) };
    });
    const floor = evidenceFloor(cited.map((c) => ({ marking: c.access.marking, denies: c.verb === ReportingVerb.DENIES })));
    if (floor && below(access.marking, floor)) {
      throw badUserInput('input.marking', `its sources are marked ${floor} or higher: a statement cannot be marked below what it rests on`);
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
      await em.query(
        `INSERT INTO citation (id, source_id, verb, quote, credibility, ${s.cited}, marking, organisation, audience)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [uuid(), c.sourceId, c.verb, c.quote, c.credibility, id, c.access.marking, c.access.organisation, c.access.audience],
      );
    }
    return id;
  });
}

const below = (marking: Marking, floor: Marking) => MARKINGS.indexOf(marking) < MARKINGS.indexOf(floor);

/**
 * The lowest marking a statement may have: the least restricted of the citations that support it (a reader cleared
 * for that one reads the statement with its evidence). Denials count only when nothing supports it.
 */
function evidenceFloor(citations: Array<{ marking: Marking; denies: boolean }>): Marking | null {
  const supporting = citations.filter((c) => !c.denies);
  const evidence = supporting.length ? supporting : citations;
  if (!evidence.length) return null;
  return evidence.reduce<Marking>((low, c) => (below(c.marking, low) ? c.marking : low), Marking.RED);
}

/** The stored markings of rows of `table`, by id. */
async function markingsOf(em: EntityManager, table: ItemTable, ids: string[]): Promise<Map<string, Marking>> {
  const rows: Array<{ id: string; marking: Marking }> = await em.query(`SELECT id, marking FROM ${table} WHERE id = ANY($1::uuid[])`, [ids]);
  return new Map(rows.map((r) => [r.id, r.marking]));
}

/** The floor of a stored statement, from its citations and their sources as they are now. */
async function storedEvidenceFloor(em: EntityManager, table: StatementTable, id: string): Promise<Marking | null> {
  const column = CITED_COLUMN[table];
  const rows: Array<{ marking: Marking; denies: boolean }> = await em.query(
    `SELECT greatest(c.marking, s.marking) AS marking, c.verb = 'DENIES' AS denies
     FROM citation c JOIN source s ON s.id = c.source_id WHERE c.${column} = $1`,
    [id],
  );
  return evidenceFloor(rows);
}

const CITED_COLUMN = Object.fromEntries(Object.entries(CITED_STATEMENT).map(([column, table]) => [table, column])) as Record<StatementTable, string>;

const accessColumns = (a: ItemAccess) => ({ marking: a.marking, organisation: a.organisation, audience: a.audience });

/** The statement behind a global id, if the viewer may see it; NOT_FOUND otherwise, as for any other lookup. */
export async function visibleStatement(em: EntityManager, viewer: Viewer, table: StatementTable, typeName: string, globalId: string): Promise<string> {
  const { id } = fromGlobalId(globalId, 'id', [typeName]);
  if (!(await visibleIds(em, viewer, table, [id])).has(id)) throw notFound(`${typeName} ${globalId}`);
  return id;
}

/**
 * Changes columns of a statement the viewer may see. A new marking or audience is checked as on creation; one that lets
 * more people read it is a release (see release.rules.ts), recorded with its reason in the same transaction.
 */
export async function updateStatement(
  dataSource: DataSource,
  viewer: Viewer,
  target: { table: StatementTable; typeName: string; globalId: string },
  columns: Record<string, unknown>,
  access: StatementAccessChange,
): Promise<void> {
  await dataSource.transaction(async (em) => {
    const id = await visibleStatement(em, viewer, target.table, target.typeName, target.globalId);
    const row = { ...columns };
    if (access.marking != null || access.audience != null) {
      const [current]: ItemAccess[] = await em.query(`SELECT marking, organisation, audience FROM ${target.table} WHERE id = $1 FOR UPDATE`, [id]);
      const marking = access.marking ?? current.marking;
      // An audience belongs to a RED item: lowering the marking drops it.
      const audience = access.audience ?? (marking === Marking.RED ? current.audience : []);
      const next = itemAccessFor(viewer, marking, audience, 'input', current.organisation ?? viewer.organisation);
      await checkAndRecordRelease(em, viewer, {
        table: target.table,
        id,
        from: current,
        to: next,
        floor: await storedEvidenceFloor(em, target.table, id),
        reason: access.releaseReason,
        path: 'input',
      });
      Object.assign(row, accessColumns(next));
    }
    const names = Object.keys(row);
    if (!names.length) return;
    await em.query(
      `UPDATE ${target.table} SET ${names.map((n, i) => `${n} = $${i + 2}`).join(', ')}, updated_at = now() WHERE id = $1`,
      [id, ...Object.values(row)],
    );
  });
}

/** A change of who may read an item: a new marking and/or audience, and the reason when it is a release. */
export interface StatementAccessChange {
  marking?: Marking | null;
  audience?: string[] | null;
  releaseReason?: string | null;
}

export async function deleteStatement(dataSource: DataSource, viewer: Viewer, target: { table: StatementTable; typeName: string; globalId: string }) {
  await dataSource.transaction(async (em) => {
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
