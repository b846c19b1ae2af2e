// Imports documents into a running Dossier service, as the identity of DOSSIER_API_KEY (an ANALYST): the same
// importData mutation a client calls, so the same checks and the same report. Each file is its own document, named
// after the file; all of a file is stored or none of it. Exit codes: 0 done, 2 bad input or credentials (a file with
// problems), 3 service or database failure. A STIX 2.1 bundle (JSON of type "bundle") is sent as format STIX_BUNDLE.
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import type { ImportReport } from '../modules/import/import.service';
import { ExitError, request, runCommand } from './service-request';

const USAGE = 'usage: npm run -s import -- <file.yaml|file.json|bundle.json> [<file> ...] [--dry-run] [--name <document name>] [--url <graphql url>]';

const IMPORT = `mutation($format: ImportFormat!, $document: String!, $name: String, $dryRun: Boolean!) {
  importData(format: $format, document: $document, name: $name, dryRun: $dryRun) {
    document applied dryRun
    counts { table created updated unchanged retracted kept }
    kept { path reason }
    skipped { id type reason }
    problems { path message }
  }
}`;

function parse(argv: string[]) {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { 'dry-run': { type: 'boolean', default: false }, name: { type: 'string' }, url: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
    if (!positionals.length) throw new Error('name at least one file');
    if (values.name && positionals.length > 1) throw new Error('--name names one document: give one file');
    return { files: positionals, dryRun: values['dry-run'], name: values.name, url: values.url };
  } catch (error) {
    throw new ExitError(`${(error as Error).message}\n${USAGE}`, 2);
  }
}

/** One line per table that something happens to, then what was kept and every problem. */
function describe(file: string, r: ImportReport): string {
  const lines = [`${file}: ${r.document} ${r.applied ? 'imported' : r.dryRun && !r.problems.length ? 'checked (dry run, nothing stored)' : 'NOT imported'}`];
  for (const c of r.counts) {
    if (c.created + c.updated + c.unchanged + c.retracted + c.kept === 0) continue;
    lines.push(`  ${c.table}: ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged, ${c.retracted} retracted, ${c.kept} kept`);
  }
  for (const k of r.kept) lines.push(`  kept ${k.path}: ${k.reason}`);
  for (const s of r.skipped) lines.push(`  skipped ${s.type} ${s.id}: ${s.reason}`);
  for (const p of r.problems) lines.push(`  problem ${p.path}: ${p.message}`);
  return lines.join('\n');
}

/** A STIX bundle is JSON whose top-level type is "bundle"; anything else is a Dossier document. */
function isStixBundle(text: string): boolean {
  if (!/^\s*\{/.test(text)) return false;
  try {
    return (JSON.parse(text) as { type?: unknown }).type === 'bundle';
  } catch {
    return false;
  }
}

async function main() {
  const args = parse(process.argv.slice(2));
  const config = loadConfig();
  const url = args.url ?? config.DOSSIER_URL ?? `http://localhost:${config.PORT}/graphql`;
  let failed = false;
  for (const file of args.files) {
    let document: string;
    try {
      document = await readFile(file, 'utf8');
    } catch (error) {
      throw new ExitError(`cannot read ${file}: ${(error as Error).message}`, 2);
    }
    const name = args.name ?? basename(file, extname(file)).replace(/[^A-Za-z0-9._-]/g, '-');
    const started = Date.now();
    const format = isStixBundle(document) ? 'STIX_BUNDLE' : 'DOSSIER';
    const variables = { format, document, name, dryRun: args.dryRun };
    const { importData } = await request<{ importData: ImportReport }>(url, config.DOSSIER_API_KEY, IMPORT, variables).catch((error: unknown) => {
      if (error instanceof ExitError && /too large/.test(error.message)) {
        throw new ExitError(`${error.message}: the service takes bodies up to its MAX_BODY_BYTES`, 2);
      }
      throw error;
    });
    console.log(describe(file, importData));
    console.error(`dossier import: ${file} in ${Date.now() - started} ms`);
    failed ||= importData.problems.length > 0;
  }
  if (failed) throw new ExitError('some documents have problems: nothing of them was stored', 2);
}

runCommand('import', main);
