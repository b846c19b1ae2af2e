// Command-line brief generator for external schedulers (cron, CI, Airflow ...): asks a running Dossier service for a
// brief, as the identity of DOSSIER_API_KEY (anonymous without one), and writes it to stdout. Progress and errors go
// to stderr. Exit codes: 0 done, 2 bad input or credentials, 3 service or database failure.
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { BRIEF_JSON_FIELDS, renderDeltaMarkdown, type DeltaJson } from './brief-output';
import { briefFlags, briefInputOf, flagHelp, parseArgsOptions } from './brief-options';
import { ExitError, request, runCommand, writeAtomically } from './service-request';

const FORMATS = ['markdown', 'html', 'json'] as const;
type Format = (typeof FORMATS)[number];

const USAGE = 'usage: npm run -s brief -- --topic <slug> [--topic <slug> ...] [options] [--format markdown|html|json] [--out <file>]';

function help(flags: ReturnType<typeof briefFlags>): string {
  return [
    USAGE,
    '',
    'What the brief covers (the fields of BriefInput; at least one --topic or --actor):',
    flagHelp(flags),
    '',
    'Output:',
    '  --format <markdown|html|json>',
    '      markdown (default; md works too), the print-ready HTML page, or the typed brief as JSON',
    '  --out <file>',
    '      write the brief to this file (atomically: whole or not at all) instead of stdout',
    '  --since <date or date-time>',
    '      add what changed since then (markdown and json)',
    '  --url <graphql url>',
    '      the service to ask (default DOSSIER_URL, else http://localhost:$PORT/graphql)',
    '  --help',
    '      this text',
    '',
    'Exit codes: 0 done, 2 bad input or credentials, 3 the service or its database failed.',
  ].join('\n');
}

function parse(argv: string[]) {
  const flags = briefFlags();
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        ...parseArgsOptions(flags),
        format: { type: 'string', default: 'markdown' },
        out: { type: 'string' },
        since: { type: 'string' },
        url: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }).values;
  } catch (error) {
    throw new ExitError(`${(error as Error).message}\n${USAGE}`, 2);
  }
  if (parsed.help) return { help: help(flags) } as const;
  const format = (parsed.format === 'md' ? 'markdown' : parsed.format) as Format;
  if (!FORMATS.includes(format)) throw new ExitError(`--format "${parsed.format}" is not one of ${FORMATS.join(', ')}\n${USAGE}`, 2);
  const input = briefInputOf(flags, parsed);
  if (!(input.topics as unknown[] | undefined)?.length && !(input.actors as unknown[] | undefined)?.length) {
    throw new ExitError(`--topic or --actor is required\n${USAGE}`, 2);
  }
  let since: string | undefined;
  if (parsed.since !== undefined) {
    const time = new Date(parsed.since);
    if (Number.isNaN(time.getTime())) throw new ExitError(`--since "${parsed.since}" is not a date or date-time`, 2);
    if (format === 'html') throw new ExitError('--since works with --format markdown or json', 2);
    since = time.toISOString();
  }
  if (parsed.out === '') throw new ExitError('--out needs a file name', 2);
  return { input, format, since, out: parsed.out, url: parsed.url };
}

/** What the brief query returns: the brief (Markdown or its JSON fields) and, with --since, the delta. */
interface BriefData {
  brief: { markdown?: string; html?: string } & Record<string, unknown>;
  briefDelta?: DeltaJson;
}

async function main() {
  const args = parse(process.argv.slice(2));
  if ('help' in args) {
    process.stdout.write(`${args.help}\n`);
    return;
  }
  const config = loadConfig();
  const url = args.url ?? config.DOSSIER_URL ?? `http://localhost:${config.PORT}/graphql`;
  const { input } = args;
  const started = Date.now();
  const scope = [...((input.topics as string[] | undefined) ?? []), ...((input.actors as string[] | undefined) ?? [])];
  console.error(`dossier brief: composing ${scope.join(', ')} from ${url}`);
  const query = `query($input: BriefInput!, $since: DateTime!, $withDelta: Boolean!) {
    brief(input: $input) { ${args.format === 'json' ? BRIEF_JSON_FIELDS : args.format} }
    briefDelta(input: $input, since: $since) @include(if: $withDelta) {
      baseline since baselineRunId unchanged
      added { id kind text changes } removed { id kind text changes } changed { id kind text changes }
    }
  }`;
  const data = await request<BriefData>(url, config.DOSSIER_API_KEY, query, {
    input,
    since: args.since ?? new Date(0).toISOString(),
    withDelta: Boolean(args.since),
  });
  let output: string;
  if (args.format === 'json') output = `${JSON.stringify(args.since ? data : { brief: data.brief }, null, 2)}\n`;
  else if (args.format === 'html') output = String(data.brief.html);
  else {
    const markdown = data.brief.markdown ?? '';
    output = args.since && data.briefDelta ? `${markdown}\n${renderDeltaMarkdown(data.briefDelta)}` : markdown;
  }
  if (args.out) await writeAtomically(args.out, output);
  else process.stdout.write(output);
  console.error(`dossier brief: done in ${Date.now() - started} ms`);
}

runCommand('brief', main);
