// Exports a scope of a running Dossier service as a STIX 2.1 bundle, as the identity of DOSSIER_API_KEY (anonymous
// without one): the stixBundle query a client calls, so the same access rules. The bundle goes to stdout (or --out),
// progress and errors to stderr. Exit codes: 0 done, 2 bad input or credentials, 3 service or database failure.
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { briefFlags, briefInputOf, flagHelp, parseArgsOptions } from './brief-options';
import { ExitError, request, runCommand, writeAtomically } from './service-request';

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

runCommand('export', main);
