import type { DataSource, EntityManager } from 'typeorm';
import { badUserInput } from '../../common/errors';
import { logger } from '../../common/logger';
import { Marking } from '../../common/marking';
import type { Viewer } from '../../common/viewer';
import { visibleCondition, type ItemTable } from '../../read/access';
import { toGlobalId } from '../../read/global-id';
import { registry } from '../../registry/registry';
import { findMatchingActor, lockIdentities } from '../actor/actor.identity';
import { canonicalExternalId } from '../actor/external-id';
import { itemAccessFor, type ItemAccess } from '../assertion/item-access';
import { documentKeys, parseDocument, type KeyedSection, type Problem } from '../fixture/fixture.parse';
import { fixtureId } from '../fixture/fixture.ids';
import { fixtureTerms, type Fixture } from '../fixture/fixture.schema';
import { relayProblem } from '../source/source.write';
import { termProblems } from '../vocabulary/vocabulary.service';
import { writeTransaction } from '../idempotency/idempotency';
import { Role } from '../identity/role';
import { SEED_PRINCIPAL } from '../history/change-author';
import { statementEvidence } from '../release/derivation';
import { isRelease, withinDerivation } from '../release/release.rules';
import { STATEMENT_KINDS, statementTables } from '../../registry/statement-kinds';
import { IMPORT_TABLES, LINKS, planDocument, type ImportTable, type KeyIds, type LinkedTable, type PlannedItem } from './import.plan';
import * as rows from './table-import';

// A document (the import format: fixtures/seed/*.yaml) is imported whole or not at all. It only ever changes items it
// wrote itself and nobody changed since: an analyst's items, and imported items an analyst edited, are left as they are.

/** Who imports: the seed is loaded as the service itself; anyone else as the writer it is, within its clearance. */
export interface Importer {
  viewer: Viewer;
  /** Whose documents these are: "seed", or "principal:<principal>" (a namespace no principal can take from the seed). */
  owner: string;
  seed: boolean;
}

export const SEED_IMPORTER: Importer = {
  viewer: { principal: SEED_PRINCIPAL, organisation: null, role: Role.ADMIN, clearance: Marking.RED },
  owner: 'seed',
  seed: true,
};

/**
 * A document belongs to the principal importing it, not to its organisation: colleagues cleared differently must not
 * rewrite, retract or probe each other's documents.
 */
export const importerOf = (viewer: Viewer): Importer => ({ viewer, owner: `principal:${viewer.principal!}`, seed: false });

export type TableCounts = {
  table: string;
  created: number;
  updated: number;
  unchanged: number;
  retracted: number;
  kept: number;
};

// Types, not interfaces: a report is an idempotent write's outcome, kept as JSON for a retry.
export type ImportReport = {
  document: string;
  applied: boolean;
  dryRun: boolean;
  counts: TableCounts[];
  /** Items the document describes (or no longer has) that it leaves as they are, and why. */
  kept: Array<{ path: string; reason: string }>;
  /** Objects of a STIX bundle that map to nothing Dossier keeps: skipped, each with its reason. */
  skipped: Array<{ id: string; type: string; reason: string }>;
  problems: Problem[];
};

/**
 * How a document translated from another format (a STIX bundle) is written: with the ids and timestamps its objects
 * had, leaving items it holds no newer version of, retracting those it revokes, and never retracting by absence (a
 * bundle carries what changed, not the whole document).
 */
export interface Translated {
  /** Item ids by key: "actors/<key>", "sources/<key>", "locations/<key>", "topic", "<section>/<key>[/citations/<j>]". */
  ids: Map<string, string>;
  /** Item id -> its created and modified times (RFC 3339). */
  stamps: Map<string, { created: string; modified: string }>;
  /** Items described as they were: left unchanged. */
  leave: Set<string>;
  /** Items to retract (revoked), with the reason. */
  retract: Map<string, string>;
  skipped: ImportReport['skipped'];
  /** Writes what the format keeps of its own, in the same transaction, once the items are written. */
  record(em: EntityManager): Promise<void>;
  /** Reads what the format stored before, under the document's lock, to fill `leave` and `retract`. */
  prepare?(em: EntityManager): Promise<void>;
}

/** The columns by which a citation names its statement. */
const CITED = Object.values(STATEMENT_KINDS).map((k) => k.cited);

/** How many rows written to one table make the session's cached plans worth forgetting before the next is written. */
const REPLAN_AFTER = 1000;

/**
 * Statistics of tables an import grew a lot, refreshed once it committed, in the background (as autovacuum would, later):
 * reads planned right after (an export of what came) need them. Outside the import's transaction, and skipping a
 * table another ANALYZE holds, so no import ever waits for it.
 */
function refreshStatistics(dataSource: DataSource, tables: string[]) {
  if (!tables.length) return;
  void (async () => {
    for (const table of tables) await dataSource.query(`ANALYZE (SKIP_LOCKED) ${table}`);
  })().catch((error: unknown) => logger.debug({ err: error }, 'import: statistics not refreshed'));
}

const sameLinks = (a: string[] | null, b: string[] | undefined) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Thrown inside the transaction to roll it back with the report as it stands (a dry run, or problems). */
class Refused extends Error {
  constructor(readonly report: ImportReport) {
    super('import refused');
  }
}

/**
 * Imports `text` as the document `name` of `importer` (by default, the key of its topic); all of it is stored, or
 * nothing (see the report's problems).
 */
export async function importDocument(
  dataSource: DataSource,
  importer: Importer,
  text: string,
  options: { name?: string; dryRun?: boolean } = {},
): Promise<ImportReport> {
  const parsed = parseDocument(text);
  if (parsed.problems) return { ...emptyReport(importer, options.name ?? '(unnamed)', options.dryRun), problems: parsed.problems };
  return importFixture(dataSource, importer, parsed.data, options);
}

/** The document name of `name` for `importer`. */
export const documentName = (importer: Importer, name: string) => `${importer.owner}/${name}`;

const emptyReport = (importer: Importer, name: string, dryRun?: boolean): ImportReport => ({
  document: documentName(importer, name),
  applied: false,
  dryRun: !!dryRun,
  counts: [],
  kept: [],
  skipped: [],
  problems: [],
});

/** Imports a parsed document (or one translated from another format): all of it, or nothing. */
export async function importFixture(
  dataSource: DataSource,
  importer: Importer,
  data: Fixture,
  options: { name?: string; dryRun?: boolean; translated?: Translated } = {},
): Promise<ImportReport> {
  const report = emptyReport(importer, options.name ?? data.topic.key, options.dryRun);
  report.skipped = options.translated?.skipped ?? [];
  const { document } = report;
  const { problems, used } = documentKeys(data);
  if (problems.length) return { ...report, problems };
  try {
    const applied = await writeTransaction(dataSource, async (em) => {
      // Two imports of one document at once would both find it absent and both create it.
      await em.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`import ${document}`]);
      await options.translated?.prepare?.(em);
      await new DocumentImport(em, importer, document, data, report, options.translated).run(used);
      if (report.problems.length || report.dryRun) throw new Refused(report);
      await options.translated?.record(em);
      return { ...report, applied: true };
    });
    refreshStatistics(
      dataSource,
      applied.counts.filter((c) => c.created >= REPLAN_AFTER).map((c) => c.table),
    );
    return applied;
  } catch (error) {
    if (error instanceof Refused) return error.report;
    throw error;
  }
}

/** Items of one table planned for writing, by what happens to them. */
interface TablePlan {
  create: PlannedItem[];
  /** Written before by this document and untouched since: rewritten where the document differs. */
  rewrite: PlannedItem[];
  stored: Map<string, rows.StoredItem>;
}

class DocumentImport {
  private readonly ids: KeyIds;
  private readonly reused = new Set<string>();
  private readonly counts = new Map<ImportTable, TableCounts>(
    IMPORT_TABLES.map((table) => [table, { table, created: 0, updated: 0, unchanged: 0, retracted: 0, kept: 0 }]),
  );
  private readonly keyIds = new Map<string, string>();
  /** Items this import writes (creates or rewrites), once classified. */
  private readonly written = new Set<string>();
  /** Whether the seed takes over items an older install loaded before imports kept a record of them. */
  private adopting = false;

  constructor(
    private readonly em: EntityManager,
    private readonly importer: Importer,
    private readonly document: string,
    private readonly data: Fixture,
    private readonly report: ImportReport,
    private readonly translated?: Translated,
  ) {
    // The seed's keys name the same items on every machine as ever, whichever of its files defines them; any other
    // document's keys are its own, so two documents never bind to each other's items by a key they happen to share.
    // A translated document brings the ids of its items.
    const prefix = importer.seed ? [] : ['by', document];
    const given = translated?.ids ?? new Map<string, string>();
    const own = (...path: string[]) => fixtureId(...prefix, ...path);
    const item = (...path: string[]) => given.get(path.slice(2).join('/')) ?? own(...path);
    const key = (section: string) => (k: string) => this.keyIds.get(`${section}:${k}`) ?? given.get(`${section}/${k}`) ?? own(section.slice(0, -1), k);
    this.ids = { topic: given.get('topic') ?? own('topic', data.topic.key), actor: key('actors'), location: key('locations'), source: key('sources'), item };
  }

  private problem(path: string, message: string) {
    this.report.problems.push({ path, message });
  }

  /** Statements of the document's ids that are not the document's (another's, or the seed's): left as they are. */
  private readonly foreign = new Set<string>();

  private keep(table: ImportTable, path: string, reason: string) {
    this.counts.get(table)!.kept++;
    this.report.kept.push({ path, reason });
  }

  private visible(alias: string, table: ItemTable) {
    return this.importer.seed ? 'true' : visibleCondition(this.importer.viewer, alias, table);
  }

  async run(used: Array<{ section: KeyedSection; key: string; path: string }>): Promise<void> {
    if (this.importer.seed) {
      // Only a file the old loader loaded, imported for the first time: never an analyst's item of the same id or slug.
      const [{ adopt }]: Array<{ adopt: boolean }> = await this.em.query(
        `SELECT EXISTS (SELECT 1 FROM fixture_load WHERE file = $1) AND NOT EXISTS (SELECT 1 FROM imported_item WHERE document = $2) AS adopt`,
        [this.document.slice('seed/'.length), this.document],
      );
      this.adopting = adopt;
    }
    // The seed keeps its terms once deprecated (a start must not fail on them); anyone else writes usable terms only.
    const terms = await termProblems(this.em, fixtureTerms(this.data), { allowDeprecated: this.importer.seed });
    this.report.problems.push(...terms.map(({ path, message }) => ({ path, message })));
    await this.resolveTopic();
    await this.resolveKeys(used);
    await this.matchActors();
    const { items, problems } = planDocument(this.data, this.ids, (record, path) => this.accessFor(record, path), this.reused);
    this.report.problems.push(...problems);
    // A translated item keeps the times its format gave it, so that exporting it again gives the same object.
    const stamps = this.translated?.stamps;
    if (stamps) {
      const now = new Date().toISOString();
      for (const i of items) Object.assign(i.row, { created_at: stamps.get(i.id)?.created ?? now, updated_at: stamps.get(i.id)?.modified ?? now });
    }
    this.checkExternalIds(items);
    const plans = new Map<ImportTable, TablePlan>();
    for (const table of IMPORT_TABLES)
      plans.set(
        table,
        await this.classify(
          table,
          items.filter((i) => i.table === table),
        ),
      );
    await this.checkDerivation(items);
    if (this.report.problems.length) return;
    const versions = new Map<string, number>();
    for (const table of IMPORT_TABLES) await this.write(table, plans.get(table)!, versions);
    await this.checkParents(items);
    await this.checkRelays(items);
    if (this.report.problems.length) return;
    await this.writeLinks(plans, versions);
    // A translated document is what changed, not the whole: it retracts what it revokes, never what it leaves out.
    for (const table of [...IMPORT_TABLES].reverse()) {
      if (this.translated) await this.retractRevoked(table, versions);
      else await this.retractGone(table, items, versions);
    }
    // Only what moved is recorded again: a document imported twice writes nothing the second time.
    const moved = items.filter((i) => {
      const stored = plans.get(i.table)!.stored.get(i.id);
      const version = versions.get(i.id);
      if (version === undefined) return false;
      return !stored || stored.document !== this.document || stored.importedVersion !== version || !sameLinks(stored.links, i.links);
    });
    await rows.recordImported(
      this.em,
      this.document,
      moved.map((i) => ({ id: i.id, table: i.table, version: versions.get(i.id)!, links: i.links ?? null })),
    );
    this.report.counts = [...this.counts.values()];
  }

  /** Who may read an item: as the file says for the seed; within the importer's clearance and organisation otherwise. */
  private accessFor(record: { marking: Marking; organisation?: string; audience: string[] }, path: string): ItemAccess {
    if (this.importer.seed) return { marking: record.marking, organisation: record.organisation ?? null, audience: record.audience };
    const { viewer } = this.importer;
    if (record.organisation && record.organisation !== viewer.organisation) {
      throw badUserInput(`${path}.organisation`, `what you import belongs to your organisation (${viewer.organisation ?? 'none'})`);
    }
    return itemAccessFor(viewer, record.marking, record.audience, path);
  }

  /** A topic of the same key that the document did not write takes its statements, when the importer may see it. */
  private async resolveTopic() {
    const [other]: Array<{ id: string; visible: boolean }> = await this.em.query(
      `SELECT t.id, ${this.visible('t', 'topic')} AS visible FROM topic t WHERE t.slug = $1 AND t.id <> $2`,
      [this.data.topic.key, this.ids.topic],
    );
    if (!other) return;
    // The seed's topics are its own: one written through the API under the same slug is never taken over.
    if (!other.visible || this.importer.seed) return this.problem('topic.key', `the slug "${this.data.topic.key}" is taken: choose another`);
    (this.ids as { topic: string }).topic = other.id;
    this.reused.add(other.id);
    this.keep('topic', 'topic', `topic "${this.data.topic.key}" exists: the document's statements are added to it, the topic is left as it is`);
  }

  /** Keys the document uses without defining them name items of the seed that the importer may see and that stand. */
  private async resolveKeys(used: Array<{ section: KeyedSection; key: string; path: string }>) {
    const defined = new Set((['actors', 'locations', 'sources'] as const).flatMap((s) => this.data[s].map((r) => `${s}:${r.key}`)));
    const missing = used.filter((u) => !defined.has(`${u.section}:${u.key}`));
    for (const section of ['actors', 'locations', 'sources'] as const) {
      const keys = [...new Set(missing.filter((m) => m.section === section).map((m) => m.key))];
      if (!keys.length) continue;
      const table = section.slice(0, -1) as ImportTable;
      const found: Array<{ id: string }> = await this.em.query(
        `SELECT t.id FROM ${table} t WHERE t.id = ANY($1::uuid[]) AND t.retracted_at IS NULL AND ${this.visible('t', table)}`,
        [keys.map((k) => fixtureId(table, k))],
      );
      const ids = new Set(found.map((f) => f.id));
      for (const k of keys) if (ids.has(fixtureId(table, k))) this.keyIds.set(`${section}:${k}`, fixtureId(table, k));
    }
    for (const m of missing) {
      if (!this.keyIds.has(`${m.section}:${m.key}`)) this.problem(m.path, `no ${m.section.slice(0, -1)} has key "${m.key}"`);
    }
  }

  /** One actor, one identity: a new actor of the document that is one the importer can see already is that one. */
  private async matchActors() {
    const stored = await rows.storedItems(
      this.em,
      'actor',
      this.data.actors.map((a) => this.ids.actor(a.key)),
    );
    const fresh = [...this.data.actors.entries()]
      .filter(([, a]) => !stored.has(this.ids.actor(a.key)))
      .map(([i, a]) => ({ i, key: a.key, identity: { name: a.name, aliases: a.aliases, kind: a.kind, externalIds: a.externalIds } }));
    // All at once, in one order: two imports naming the same actors in other orders wait for each other, no deadlock.
    await lockIdentities(
      this.em,
      fresh.map((f) => f.identity),
    );
    const created: typeof fresh = [];
    for (const { i, key, identity } of fresh) {
      const match = await findMatchingActor(this.em, this.importer.viewer, identity);
      if (!match) {
        created.push({ i, key, identity });
        continue;
      }
      this.keyIds.set(`actors:${key}`, match.id);
      this.reused.add(match.id);
      const by = match.by === 'externalId' ? `holds ${match.matched}` : `is named "${match.matched}"`;
      this.keep('actor', `actors[${i}] (${key})`, `Actor "${match.name}" (${toGlobalId('Actor', match.id)}) ${by}: it is used as it is`);
    }
    // An identifier held by an actor the importer may not see: refused as through the API, without naming the holder.
    for (const { i, key, identity } of created) {
      const ids = identity.externalIds.map(canonicalExternalId);
      if (!ids.length) continue;
      const held: unknown[] = await this.em.query(`SELECT 1 FROM actor_external_id WHERE (scheme, value) IN (SELECT * FROM unnest($1::text[], $2::text[]))`, [
        ids.map((x) => x.scheme),
        ids.map((x) => x.value),
      ]);
      if (held.length) this.problem(`actors[${i}] (${key}).externalIds`, 'an identifier given names another actor already');
    }
  }

  /** An identifier names one actor: two actors of the document cannot both hold it. */
  private checkExternalIds(items: PlannedItem[]) {
    const holders = new Map<string, string>();
    for (const item of items.filter((i) => i.table === 'actor')) {
      for (const id of (item.row.external_ids as Array<{ scheme: string; value: string }>).map(canonicalExternalId)) {
        const key = `${id.scheme} ${id.value}`;
        const holder = holders.get(key);
        if (holder) this.problem(`${item.path}.externalIds`, `${key} is held by ${holder} already`);
        holders.set(key, item.path);
      }
    }
  }

  /** Which planned items are new, which the document wrote before and may write again, and which it must leave. */
  private async classify(table: ImportTable, items: PlannedItem[]): Promise<TablePlan> {
    const ids = items.map((i) => i.id);
    const plan: TablePlan = { create: [], rewrite: [], stored: await rows.storedItems(this.em, table, ids, this.visible('t', table)) };
    for (const item of items) {
      const stored = plan.stored.get(item.id);
      // A citation of a statement the document does not hold (another's, named by a translated id) is not added to it.
      const statement = table === 'citation' ? CITED.map((c) => item.row[c] as string | null | undefined).find(Boolean) : undefined;
      if (statement && this.foreign.has(statement)) this.keep(table, item.path, 'its statement was not written by this document: left out');
      else if (!stored) plan.create.push(item);
      // Described as it was (no newer version than the one imported): nothing to write.
      else if (this.translated?.leave.has(item.id) && stored.visible && stored.document === this.document) this.counts.get(table)!.unchanged++;
      // Re-marked above the importer since (a token of lower clearance): left, and nothing told about it.
      else if (!stored.visible) this.keep(table, item.path, 'left as it is');
      else if (stored.document === this.document && stored.importedVersion === stored.version) plan.rewrite.push(item);
      // The seed's items loaded before imports kept a record (an older install) are the seed's, once.
      else if (this.adopting && stored.document === null) plan.rewrite.push(item);
      else if (stored.document === this.document) this.keep(table, item.path, 'changed through the API since it was imported: left as it is');
      else this.keep(table, item.path, stored.document ? 'written by another document: left as it is' : 'not written by an import: left as it is');
    }
    for (const item of [...plan.create, ...plan.rewrite]) this.written.add(item.id);
    if ((statementTables as readonly string[]).includes(table)) {
      for (const item of items) {
        const stored = plan.stored.get(item.id);
        if (stored && !this.written.has(item.id) && !(stored.visible && stored.document === this.document)) this.foreign.add(item.id);
      }
    }
    // A document's place, a source or an actor retracted through the API since is no longer there to refer to.
    for (const item of items) {
      const stored = plan.stored.get(item.id);
      if (stored?.visible && stored.retracted && !this.written.has(item.id) && ['actor', 'location', 'source'].includes(table)) {
        this.problem(item.path, `retracted through the API since it was imported: take it out of the document, or restore it`);
      }
    }
    for (const item of plan.rewrite) {
      if (!this.importer.seed && isRelease(plan.stored.get(item.id)!, item.access)) {
        this.problem(`${item.path}.marking`, 'more people could read it than now: that is a release, made through the API with its reason');
      }
    }
    return plan;
  }

  /** What an item is derived from bounds who may read it: a citation its source, a statement the sources it rests on. */
  private async checkDerivation(items: PlannedItem[]) {
    // A source the document writes counts as the document marks it; any other (kept, or the seed's) as it is stored.
    const sources = new Map(items.filter((i) => i.table === 'source' && this.written.has(i.id)).map((i) => [i.id, i.access]));
    const elsewhere = [...new Set(items.flatMap((i) => i.sources?.map((s) => s.id) ?? []))].filter((id) => !sources.has(id));
    if (elsewhere.length) {
      const stored: Array<ItemAccess & { id: string }> = await this.em.query(
        `SELECT id, marking::text AS marking, organisation, audience FROM source WHERE id = ANY($1::uuid[])`,
        [elsewhere],
      );
      for (const { id, ...access } of stored) sources.set(id, access);
    }
    for (const item of items) {
      if (!item.sources || !this.written.has(item.id)) continue;
      const evidence = item.sources.filter((s) => sources.has(s.id)).map((s) => ({ source: sources.get(s.id)!, denies: s.denies }));
      if (item.table === 'citation') {
        if (evidence.some((e) => isRelease(e.source, item.access)))
          this.problem(`${item.path}.marking`, 'a citation cannot be read by more people than its source');
      } else if (!withinDerivation(statementEvidence(evidence), item.access)) {
        this.problem(`${item.path}.marking`, 'the statement would rest only on sources fewer people may read than may read it: mark it higher');
      }
    }
  }

  private async write(table: ImportTable, plan: TablePlan, versions: Map<string, number>) {
    const counts = this.counts.get(table)!;
    const created = await rows.insertItems(this.em, table, plan.create);
    // The session keeps the plans of per-row lookups (the foreign key checks of the citations written next) that it
    // chose while this table was small: a scan of it, for every row, once it holds thousands. Forgotten once many rows
    // came, they are planned again at the table's size. Only this session's plans: no lock, nothing shared.
    if (created.size >= REPLAN_AFTER) await this.em.query(`DISCARD PLANS`);
    const updated = await rows.updateItems(this.em, table, plan.rewrite);
    counts.created = created.size;
    counts.updated = updated.size;
    counts.unchanged += plan.rewrite.length - updated.size;
    for (const [id, version] of [...created, ...updated]) versions.set(id, version);
    for (const item of plan.rewrite) if (!versions.has(item.id)) versions.set(item.id, plan.stored.get(item.id)!.version);
  }

  /** An actor is never part of itself, however deep: checked once the document's actors are written (and rolled back). */
  private async checkParents(items: PlannedItem[]) {
    const actors = items.filter((i) => i.table === 'actor' && this.written.has(i.id) && i.row.parent_id);
    if (!actors.length) return;
    const cycles: Array<{ id: string }> = await this.em.query(
      `WITH RECURSIVE up (start, id, depth) AS (
         SELECT a.id, a.parent_id, 1 FROM actor a WHERE a.id = ANY($1::uuid[])
         UNION ALL SELECT up.start, a.parent_id, up.depth + 1 FROM up JOIN actor a ON a.id = up.id
         WHERE a.parent_id IS NOT NULL AND up.id <> up.start AND up.depth < 1000)
       SELECT DISTINCT start AS id FROM up WHERE id = start`,
      [actors.map((a) => a.id)],
    );
    const looping = new Set(cycles.map((c) => c.id));
    for (const a of actors) if (looping.has(a.id)) this.problem(`${a.path}.parent`, 'an actor cannot be part of itself or of one of its parts');
  }

  /**
   * A relay names the original itself, by the rule the API applies (relayProblem in source.write.ts), now against what is
   * stored too: once written, for the items written. Only links the importer may see are looked at.
   */
  private async checkRelays(items: PlannedItem[]) {
    for (const i of items) {
      if (!this.written.has(i.id)) continue;
      const original = (i.table === 'source' ? i.row.relays_id : i.table === 'citation' ? i.row.relayed_from_id : null) as string | null;
      if (!original) continue;
      const path = `${i.path}.${i.table === 'source' ? 'relays' : 'relayedFrom'}`;
      const problem = await relayProblem(this.em, (alias, table) => this.visible(alias, table), original, i.table === 'source' ? i.id : null);
      if (problem) this.problem(path, problem);
    }
  }

  /** Links of the items written; a changed link is a change of its item, counted as an update. */
  private async writeLinks(plans: Map<ImportTable, TablePlan>, versions: Map<string, number>) {
    for (const table of Object.keys(LINKS) as LinkedTable[]) {
      const plan = plans.get(table)!;
      const items = [...plan.create, ...plan.rewrite].map((i) => ({
        id: i.id,
        links: i.links ?? [],
        previous: plan.stored.get(i.id)?.links ?? (plan.stored.has(i.id) ? null : []),
      }));
      const changed = await rows.writeLinks(this.em, table, items);
      const created = new Set(plan.create.map((i) => i.id));
      const bumped = await rows.bumpVersions(
        this.em,
        table,
        changed.filter((id) => !created.has(id)),
      );
      const counts = this.counts.get(table)!;
      for (const [id, version] of bumped) {
        // A row both rewritten and relinked is one update.
        if (versions.get(id) === plan.stored.get(id)?.version) {
          counts.unchanged--;
          counts.updated++;
        }
        versions.set(id, version);
      }
    }
  }

  /** Items the document wrote before and no longer has are retracted, unless changed since or still used. */
  private async retractGone(table: ImportTable, items: PlannedItem[], versions: Map<string, number>) {
    const planned = items.filter((i) => i.table === table).map((i) => i.id);
    const gone = await rows.itemsGone(this.em, this.document, table, planned, this.visible('t', table));
    const typeName = [...registry.values()].find((t) => t.table === table)!.typeName;
    const label = (id: string) => `${typeName} ${toGlobalId(typeName, id)}`;
    await rows.forgetImported(
      this.em,
      gone.filter((g) => g.version === null).map((g) => g.id),
    );
    const retract: string[] = [];
    // What the importer may no longer see is neither retracted nor told of.
    for (const g of gone.filter((g) => g.version !== null && !g.retracted && g.visible)) {
      if (g.version !== g.importedVersion)
        this.keep(table, label(g.id), 'no longer in the document, but changed through the API since it was imported: left as it is');
      else if (await this.stillUsed(table, g.id)) this.keep(table, label(g.id), 'no longer in the document, but items that stand refer to it: left as it is');
      else retract.push(g.id);
    }
    const retracted = await rows.retractItems(this.em, table, retract, `no longer in the document ${this.document}`);
    this.counts.get(table)!.retracted = retracted.size;
    for (const [id, version] of retracted) versions.set(id, version);
    await rows.recordImported(
      this.em,
      this.document,
      [...retracted].map(([id, version]) => ({ id, table, version, links: null })),
    );
  }

  /** Items of the document a translated document revokes: retracted, unless changed since or still used. */
  private async retractRevoked(table: ImportTable, versions: Map<string, number>) {
    const revoked = [...this.translated!.retract.keys()];
    if (!revoked.length) return;
    const named = await rows.itemsOfDocument(this.em, this.document, table, revoked, this.visible('t', table));
    const typeName = [...registry.values()].find((t) => t.table === table)!.typeName;
    const label = (id: string) => `${typeName} ${toGlobalId(typeName, id)}`;
    const retract: string[] = [];
    for (const g of named.filter((g) => g.version !== null && !g.retracted && g.visible)) {
      if (g.version !== g.importedVersion) this.keep(table, label(g.id), 'revoked, but changed through the API since it was imported: left as it is');
      else if (await this.stillUsed(table, g.id)) this.keep(table, label(g.id), 'revoked, but items that stand refer to it: left as it is');
      else retract.push(g.id);
    }
    const retracted = new Map<string, number>();
    for (const id of retract) {
      for (const [i, v] of await rows.retractItems(this.em, table, [id], this.translated!.retract.get(id)!)) retracted.set(i, v);
    }
    this.counts.get(table)!.retracted = retracted.size;
    for (const [id, version] of retracted) versions.set(id, version);
    await rows.recordImported(
      this.em,
      this.document,
      [...retracted].map(([id, version]) => ({ id, table, version, links: null })),
    );
  }

  private async stillUsed(table: ImportTable, id: string): Promise<boolean> {
    const dependents = [...registry.values()].find((t) => t.table === table)?.writes?.dependents ?? [];
    for (const d of dependents) {
      // As for a retraction through the API: what the importer may not see neither blocks it nor is told of.
      const found: unknown[] = await this.em.query(
        `SELECT 1 FROM ${d.table} x WHERE ${d.refersTo('x')} AND x.retracted_at IS NULL AND ${this.visible('x', d.table)} LIMIT 1`,
        [id],
      );
      if (found.length) return true;
    }
    return false;
  }
}
