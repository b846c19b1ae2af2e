// Exports a scope of a running Dossier service as a STIX 2.1 bundle, as the identity of DOSSIER_API_KEY (anonymous
// without one): streamed from GET /stix/bundle beside the GraphQL endpoint (the stixBundle query's bytes and access
// rules), or through the stixBundle query from a service without that route. The bundle goes to stdout (or --out),
// progress and errors to stderr. Exit codes: 0 done, 2 bad input or credentials, 3 service or database failure.
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { briefFlags, briefInputOf, flagHelp, parseArgsOptions } from './brief-options';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ExitError, exitErrorOf, request, runCommand, writeAtomically } from './service-request';

const USAGE = 'usage: npm run -s export -- --topic <slug> [--topic <slug> ...] [options] [--out <file>]';

const EXPORT = `query($scope: ScopeInput!) { stixBundle(scope: $scope) { id objectCount json } }`;

function parse(argv: string[]) {
  const flags = briefFlags(undefined, 'ScopeInput');
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...parseArgsOptions(flags), out: { type: 'string' }, url: { type: 'string' }, help: { type: 'boolean', default: false } },
      strict: true,
    }).values;
  } catch (error) {
    throw new ExitError(`${(error as Error).message}\n${USAGE}`, 2);
  }
  if (parsed.help) {
    const output = ['  --out <file>', '      write the bundle to this file (whole or not at all) instead of stdout', '  --url <graphql url>'];
    output.push('      the service to ask (default DOSSIER_URL, else http://localhost:$PORT/graphql)');
    return {
      help: [USAGE, '', 'What the bundle covers (the fields of ScopeInput; at least one --topic or --actor):', flagHelp(flags), '', 'Output:', ...output].join(
        '\n',
      ),
    };
  }
  const scope = briefInputOf(flags, parsed);
  if (!(scope.topics as unknown[] | undefined)?.length && !(scope.actors as unknown[] | undefined)?.length) {
    throw new ExitError(`--topic or --actor is required\n${USAGE}`, 2);
  }
  if (parsed.out === '') throw new ExitError('--out needs a file name', 2);
  return { scope, out: parsed.out, url: parsed.url };
}

async function main() {
  const args = parse(process.argv.slice(2));
  if ('help' in args) {
    process.stdout.write(`${args.help}\n`);
    return;
  }
  const config = loadConfig();
  const url = args.url ?? config.DOSSIER_URL ?? `http://localhost:${config.PORT}/graphql`;
  const started = Date.now();
  console.error(`dossier export: exporting from ${url}`);
  const streamed = await streamedExport(url, config.DOSSIER_API_KEY, args.scope, args.out);
  if (streamed) {
    console.error(`dossier export: ${streamed.objects} objects in ${streamed.id}, streamed, ${Date.now() - started} ms`);
    return;
  }
  const { stixBundle } = await request<{ stixBundle: { id: string; objectCount: number; json: string } }>(url, config.DOSSIER_API_KEY, EXPORT, {
    scope: args.scope,
  });
  // Written as received, then the newline: no second copy of a bundle of tens of megabytes.
  if (args.out) await writeAtomically(args.out, [stixBundle.json, '\n']);
  else {
    process.stdout.write(stixBundle.json);
    process.stdout.write('\n');
  }
  console.error(`dossier export: ${stixBundle.objectCount} objects in ${stixBundle.id}, ${Date.now() - started} ms`);
}

/**
 * The bundle from GET /stix/bundle, written as it arrives (then a newline), so neither side holds it whole. Null when
 * the service has no such route (an older one), or `url` is not a `/graphql` address to find it beside.
 */
async function streamedExport(url: string, key: string | undefined, scope: Record<string, unknown>, out?: string) {
  const address = new URL(url);
  if (!address.pathname.endsWith('/graphql')) return null;
  address.pathname = address.pathname.replace(/\/graphql$/, '/stix/bundle');
  for (const [field, value] of Object.entries(scope)) {
    for (const one of Array.isArray(value) ? value : [value]) address.searchParams.append(field, String(one));
  }
  let response: Response;
  try {
    response = await fetch(address, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  } catch (error) {
    throw new ExitError(`cannot reach the Dossier service at ${url}: ${(error as Error & { cause?: Error }).cause?.message ?? (error as Error).message}`, 3);
  }
  const json = /json/.test(response.headers.get('content-type') ?? '');
  if (response.status === 404 && !json) return null;
  if (!response.ok || !response.body) {
    const body = json ? ((await response.json().catch(() => ({}))) as { errors?: Array<{ message: string; extensions?: { code?: string } }> }) : {};
    if (body.errors?.[0]) throw exitErrorOf(body.errors[0]);
    throw new ExitError(`the service at ${address.origin} answered HTTP ${response.status} to the export`, 3);
  }
  const chunks = received(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream));
  if (out) await writeAtomically(out, chunks);
  else await pipeline(chunks, process.stdout, { end: false });
  return { id: response.headers.get('dossier-stix-bundle'), objects: response.headers.get('dossier-stix-objects') };
}

/** The bundle's bytes, then its newline; a bundle cut short is the service's failure. */
async function* received(body: Readable): AsyncGenerator<Uint8Array | string> {
  try {
    yield* body;
  } catch (error) {
    throw new ExitError(`the bundle was cut short: ${(error as Error).message}`, 3);
  }
  yield '\n';
}

runCommand('export', main);
