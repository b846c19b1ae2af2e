import type { DataSource, EntityManager } from 'typeorm';
import { describeProblems } from '../fixture/fixture.parse';
import { fixtureSchema } from '../fixture/fixture.schema';
import { documentName, importFixture, type Importer, type ImportReport } from '../import/import.service';
import { IMPORT_TABLES } from '../import/import.plan';
import { visibleCondition } from '../../read/access';
import { Vocabulary } from '../vocabulary/vocabularies';
import { extensionId } from './stix-extensions';
import { parseBundle, type RawObject } from './stix-parse';
import { BundleTranslation, type Mapped } from './stix-translate';

// A STIX 2.1 bundle imported through the import of Dossier documents: translated into one (stix-translate.ts), then
// written by the same code, with the same checks, counts and all-or-nothing. What it keeps of STIX itself (which
// object became which item, the `modified` seen, confidence and reliability as given) goes to stix_object.

/**
 * Imports a STIX bundle as the document `name` of `importer` (by default its Dossier topic's slug, else "stix").
 * Bad bundles are BAD_USER_INPUT, a marking above the importer's clearance FORBIDDEN; nothing is written then.
 */
export async function importStixBundle(
  dataSource: DataSource,
  importer: Importer,
  text: string,
  options: { name?: string; dryRun?: boolean } = {},
): Promise<ImportReport> {
  const { objects } = parseBundle(text);
  const topic = objects.find((o) => o.type === 'report' && (o.extensions as Record<string, { slug?: string }> | undefined)?.[extensionId('topic')]?.slug);
  const name = options.name ?? (topic?.extensions as Record<string, { slug: string }>)[extensionId('topic')]?.slug ?? 'stix';
  const document = documentName(importer, name);
  const terms: Array<{ vocabulary: string; term: string; stixVocabulary: string | null; stixTerm: string | null }> = await dataSource.query(
    `SELECT vocabulary, term, stix_vocabulary AS "stixVocabulary", stix_term AS "stixTerm" FROM vocabulary_term
     WHERE deprecated_at IS NULL AND vocabulary = ANY($1::text[])`,
    [[Vocabulary.ACTOR_KIND, Vocabulary.SOURCE_KIND, Vocabulary.RELATION_TYPE]],
  );
  const readStored = async (q: Pick<EntityManager, 'query'>) =>
    new Map(
      (
        await q.query<Array<{ stixId: string; itemId: string; modified: Date }>>(
          `SELECT stix_id AS "stixId", item_id AS "itemId", modified FROM stix_object WHERE document = $1 AND stix_id = ANY($2::text[])`,
          [document, objects.map((o) => o.id)],
        )
      ).map((s) => [s.stixId, s]),
    );
  // Read before the import for the skips only; read again under the document's lock for what is written.
  const before = await readStored(dataSource.manager);
  const hidden = await hiddenIds(dataSource, importer, objects);
  const translation = new BundleTranslation(objects, importer.viewer, name, document, { terms }, new Set(before.keys()), hidden).translate();
  const parsed = fixtureSchema.safeParse(translation.document);
  if (!parsed.success) {
    return {
      document,
      applied: false,
      dryRun: !!options.dryRun,
      counts: [],
      kept: [],
      skipped: translation.skipped,
      problems: describeProblems(translation.document, parsed.error.issues),
    };
  }

  // An object seen before at the same or a later `modified` is left as it is; a newer one is written.
  const time = (v: string | Date) => new Date(v).getTime();
  const leave = new Set<string>();
  const retract = new Map<string, string>();
  let moved: Mapped[] = [];
  let revoked: RawObject[] = [];
  let stored = before;
  const prepare = async (em: EntityManager) => {
    stored = await readStored(em);
    moved = [];
    leave.clear();
    retract.clear();
    for (const m of translation.mapped) {
      const seen = stored.get(m.stixId);
      if (seen && time(seen.modified) >= time(m.modified)) {
        leave.add(m.itemId);
        for (const c of translation.citationsOf.get(m.stixId) ?? []) leave.add(c);
      } else moved.push(m);
    }
    revoked = objects.filter((o) => o.revoked === true && stored.has(o.id));
    for (const o of revoked) {
      const seen = stored.get(o.id)!;
      if (time(seen.modified) < time(String(o.modified))) retract.set(seen.itemId, `revoked in STIX (${o.id})`);
    }
  };
  const principal = importer.viewer.principal ?? 'dossier:seed';
  const record = async (em: EntityManager) => {
    const rows = [
      ...moved,
      ...revoked.map((o) => ({
        stixId: o.id,
        itemId: stored.get(o.id)!.itemId,
        table: 'revoked',
        modified: String(o.modified),
        confidence: null,
        reliability: null,
      })),
    ];
    if (!rows.length) return;
    // Only what is newer is written: a bundle imported again writes no row.
    await em.query(
      `INSERT INTO stix_object (document, stix_id, item_id, item_table, modified, principal, confidence, reliability)
       SELECT $1, x."stixId", x."itemId", x.table, x.modified, $2, x.confidence, x.reliability
       FROM jsonb_to_recordset($3::jsonb) AS x("stixId" text, "itemId" uuid, "table" text, modified timestamptz, confidence int, reliability text)
       ON CONFLICT (document, stix_id) DO UPDATE SET item_id = excluded.item_id, item_table = excluded.item_table, modified = excluded.modified,
         principal = excluded.principal, confidence = excluded.confidence, reliability = excluded.reliability, imported_at = now()
       WHERE stix_object.modified < excluded.modified`,
      [document, principal, JSON.stringify(rows)],
    );
  };
  return importFixture(dataSource, importer, parsed.data, {
    name,
    dryRun: options.dryRun,
    translated: { ids: translation.ids, stamps: translation.stamps, leave, retract, skipped: translation.skipped, record, prepare },
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Every dossier_id a bundle carries, at any depth of its objects. */
function dossierIdsOf(objects: RawObject[]): string[] {
  const found = new Set<string>();
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        if (k === 'dossier_id' && typeof x === 'string' && UUID.test(x)) found.add(x);
        else walk(x);
      }
  };
  walk(objects);
  return [...found];
}

/**
 * The dossier_ids of the bundle that name items the importer may not see. Such an object does not bind to the item:
 * it becomes one of the document's own, as for an id no item has, so the answer never tells the item exists and
 * nothing the importer writes hangs on it.
 */
async function hiddenIds(dataSource: DataSource, importer: Importer, objects: RawObject[]): Promise<Set<string>> {
  const ids = dossierIdsOf(objects);
  if (importer.seed || !ids.length) return new Set();
  const rows: Array<{ id: string }> = await dataSource.query(
    IMPORT_TABLES.map((t) => `SELECT t.id FROM ${t} t WHERE t.id = ANY($1::uuid[]) AND NOT (${visibleCondition(importer.viewer, 't', t)})`).join(' UNION '),
    [ids],
  );
  return new Set(rows.map((r) => r.id));
}
