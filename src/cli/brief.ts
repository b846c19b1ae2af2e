// Command-line brief generator for external schedulers (cron, CI, Airflow ...): asks a running Dossier service for a
// brief, as the identity of DOSSIER_API_KEY (anonymous without one), and writes it to stdout. Progress and errors go
// to stderr. Exit codes: 0 done, 2 bad input or credentials, 3 service or database failure.
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { BRIEF_JSON_FIELDS, renderDeltaMarkdown, type DeltaJson } from './brief-output';
import { ExitError, request, runCommand } from './service-request';

const USAGE = `usage: npm run -s brief -- --topic <slug> [--topic <slug> ...] [--format md|json] [--since <date or date-time>] [--url <graphql url>]`;

function parse(argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        topic: { type: 'string', multiple: true },
        format: { type: 'string', default: 'md' },
        since: { type: 'string' },
        url: { type: 'string' },
      },
      strict: true,
    }).values;
  } catch (error) {
    throw new ExitError(`${(error as Error).message}\n${USAGE}`, 2);
  }
  if (!parsed.topic?.length) throw new ExitError(`--topic is required\n${USAGE}`, 2);
  if (parsed.format !== 'md' && parsed.format !== 'json') throw new ExitError(`--format must be md or json\n${USAGE}`, 2);
  let since: string | undefined;
  if (parsed.since !== undefined) {
    const time = new Date(parsed.since);
    if (Number.isNaN(time.getTime())) throw new ExitError(`--since "${parsed.since}" is not a date or date-time`, 2);
    since = time.toISOString();
  }
  return { topics: parsed.topic, format: parsed.format, since, url: parsed.url };
}

/** What the brief query returns: the brief (Markdown or its JSON fields) and, with --since, the delta. */
interface BriefData {
  brief: { markdown?: string } & Record<string, unknown>;
  briefDelta?: DeltaJson;
}

async function main() {
  const args = parse(process.argv.slice(2));
  const config = loadConfig();
  const url = args.url ?? config.DOSSIER_URL ?? `http://localhost:${config.PORT}/graphql`;
  const input = { topics: args.topics };
  const started = Date.now();
  console.error(`dossier brief: composing ${args.topics.join(', ')} from ${url}`);
  const query = `query($input: BriefInput!, $since: DateTime!, $withDelta: Boolean!) {
    brief(input: $input) { ${args.format === 'md' ? 'markdown' : BRIEF_JSON_FIELDS} }
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
  if (args.format === 'json') process.stdout.write(`${JSON.stringify(args.since ? data : { brief: data.brief }, null, 2)}\n`);
  else {
    const markdown = data.brief.markdown ?? '';
    process.stdout.write(args.since && data.briefDelta ? `${markdown}\n${renderDeltaMarkdown(data.briefDelta)}` : markdown);
  }
  console.error(`dossier brief: done in ${Date.now() - started} ms`);
}

runCommand('brief', main);
