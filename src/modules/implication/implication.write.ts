import { v4 as uuid } from 'uuid';
import type { DataSource, EntityManager } from 'typeorm';
import { badUserInput, notFound } from '../../common/errors';
import { Marking } from '../../common/marking';
import type { Viewer } from '../../common/viewer';
import { visibleTo } from '../../read/access';
import { fromGlobalId } from '../../read/global-id';
import { itemAccessFor } from '../assertion/item-access';
import type { ImplicationInput, ImplicationPatch } from './implication.write-inputs';

/** Ids among `ids` of rows of `table` the viewer may see. */
async function visibleIds(em: EntityManager, viewer: Viewer, table: string, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows: Array<{ id: string }> = await em.query(`SELECT v.id FROM ${table} v WHERE v.id = ANY($1::uuid[]) AND ${visibleTo(viewer, 'v')}`, [ids]);
  return new Set(rows.map((r) => r.id));
}

/**
 * Records an analytic judgment with its sources, in one transaction: nothing is stored unless all of it is valid.
 * What it refers to (topic, actors, sources) must be visible to the writer; what it is marked, the writer may read.
 */
export async function createImplication(dataSource: DataSource, viewer: Viewer, input: ImplicationInput): Promise<string> {
  const access = itemAccessFor(viewer, input.marking, input.audience, 'input');
  if (!input.statement.trim()) throw badUserInput('input.statement', 'a judgment needs a statement');
  if (!input.citations.length) throw badUserInput('input.citations', 'a judgment needs at least one source');
  const actorIds = (input.affectedActors ?? []).map((id, i) => fromGlobalId(id, `input.affectedActors[${i}]`, ['Actor']).id);
  const citations = input.citations.map((c, i) => {
    const path = `input.citations[${i}]`;
    if (!Number.isInteger(c.credibility) || c.credibility < 1 || c.credibility > 6) throw badUserInput(`${path}.credibility`, 'credibility is graded 1 to 6');
    if (!c.quote.trim()) throw badUserInput(`${path}.quote`, 'a citation needs the words of its source');
    return { ...c, sourceId: fromGlobalId(c.source, `${path}.source`, ['Source']).id, access: itemAccessFor(viewer, c.marking ?? access.marking, access.audience, path) };
  });
  return dataSource.transaction(async (em) => {
    const [topic] = await em.query(`SELECT t.id FROM topic t WHERE t.slug = $1 AND ${visibleTo(viewer, 't')}`, [input.topic]);
    if (!topic) throw badUserInput('input.topic', `no topic "${input.topic}"`);
    const actors = await visibleIds(em, viewer, 'actor', actorIds);
    const missingActor = actorIds.findIndex((id) => !actors.has(id));
    if (missingActor >= 0) throw badUserInput(`input.affectedActors[${missingActor}]`, 'no such actor');
    const sources = await visibleIds(em, viewer, 'source', citations.map((c) => c.sourceId));
    const missingSource = citations.findIndex((c) => !sources.has(c.sourceId));
    if (missingSource >= 0) throw badUserInput(`input.citations[${missingSource}].source`, 'no such source');

    const id = uuid();
    await em.query(
      `INSERT INTO implication (id, topic_id, statement, likelihood, confidence, scope, horizon, marking, organisation, audience)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [id, topic.id, input.statement.trim(), input.likelihood, input.confidence, input.scope, input.horizon, access.marking, access.organisation, access.audience],
    );
    if (actorIds.length) {
      await em.query(`INSERT INTO implication_actor (implication_id, actor_id) SELECT $1, unnest($2::uuid[])`, [id, [...new Set(actorIds)]]);
    }
    for (const c of citations) {
      await em.query(
        `INSERT INTO citation (id, source_id, verb, quote, credibility, implication_id, marking, organisation, audience)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [uuid(), c.sourceId, c.verb, c.quote, c.credibility, id, c.access.marking, c.access.organisation, c.access.audience],
      );
    }
    return id;
  });
}

/** The implication behind a global id, if the viewer may see it; NOT_FOUND otherwise, as for any other lookup. */
async function visibleImplication(em: EntityManager, viewer: Viewer, globalId: string): Promise<string> {
  const { id } = fromGlobalId(globalId, 'id', ['Implication']);
  if (!(await visibleIds(em, viewer, 'implication', [id])).has(id)) throw notFound(`Implication ${globalId}`);
  return id;
}

export async function updateImplication(dataSource: DataSource, viewer: Viewer, globalId: string, patch: ImplicationPatch): Promise<string> {
  return dataSource.transaction(async (em) => {
    const id = await visibleImplication(em, viewer, globalId);
    const sets: string[] = [];
    const params: unknown[] = [id];
    const set = (column: string, value: unknown) => {
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    };
    if (patch.statement != null) {
      if (!patch.statement.trim()) throw badUserInput('input.statement', 'a judgment needs a statement');
      set('statement', patch.statement.trim());
    }
    if (patch.likelihood != null) set('likelihood', patch.likelihood);
    if (patch.confidence != null) set('confidence', patch.confidence);
    if (patch.marking != null || patch.audience != null) {
      const [current] = await em.query(`SELECT marking, audience FROM implication WHERE id = $1`, [id]);
      const marking = patch.marking ?? current.marking;
      // An audience belongs to a RED item: lowering the marking drops it.
      const audience = patch.audience ?? (marking === Marking.RED ? current.audience : []);
      const access = itemAccessFor(viewer, marking, audience, 'input');
      set('marking', access.marking);
      set('organisation', access.organisation);
      set('audience', access.audience);
    }
    if (sets.length) await em.query(`UPDATE implication SET ${sets.join(', ')}, updated_at = now() WHERE id = $1`, params);
    return id;
  });
}

export async function deleteImplication(dataSource: DataSource, viewer: Viewer, globalId: string): Promise<string> {
  return dataSource.transaction(async (em) => {
    const id = await visibleImplication(em, viewer, globalId);
    await em.query(`DELETE FROM implication WHERE id = $1`, [id]);
    return globalId;
  });
}
