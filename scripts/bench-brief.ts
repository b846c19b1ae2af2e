// Benchmark: how long composing the DPRK brief takes, and how many SQL statements it sends.
// Prints figures; it asserts nothing. Uses a throwaway embedded PostgreSQL, or DATABASE_URL when set.
//   npm run bench:brief [-- --runs 500]
import { parseArgs } from 'node:util';
import { statementCount } from '../src/db/statement-counter';
import { Marking } from '../src/common/marking';
import { ANONYMOUS } from '../src/common/viewer';
import { composeFor } from '../src/modules/brief/brief.service';
import { benchmark, summary } from './bench-support';

const { runs } = parseArgs({ options: { runs: { type: 'string', default: '300' } } }).values;
const RUNS = Number(runs);
const input = { topics: ['dprk-troops-in-russia'] };

async function timed(work: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 20; i += 1) await work(); // warm-up: JIT, connection pool, PostgreSQL plan cache
  const times: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const start = process.hrtime.bigint();
    await work();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times;
}

benchmark({ EMBEDDED_PG_PORT: '54339' }, async (dataSource, url) => {
  const viewer = { ...ANONYMOUS, clearance: Marking.GREEN };
  const before = statementCount();
  const { brief } = await composeFor(dataSource, viewer, input);
  console.log(`DPRK brief: ${brief.statementCount} statements in scope, ${brief.markdown.length} bytes of Markdown`);
  console.log(`SQL statements per compose: ${statementCount() - before}`);
  console.log(`compose in process (read, compose, render Markdown and HTML): ${summary(await timed(() => composeFor(dataSource, viewer, input)))}`);

  const body = JSON.stringify({ query: 'query($input: BriefInput!) { brief(input: $input) { markdown contentHash } }', variables: { input } });
  const post = async () => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    await response.json();
  };
  console.log(`brief { markdown } over HTTP: ${summary(await timed(post))}`);
});
