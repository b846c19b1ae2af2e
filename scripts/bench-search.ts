// Times `search` over HTTP on the seed, then with generated capabilities (--size, or SEARCH_BENCH_ROWS, default
// 100,000) added by one INSERT ... SELECT: p50/p95 per query form and the SQL statements each sends; --explain prints
// the statement and its EXPLAIN (ANALYZE, BUFFERS) for each form. Uses a throwaway embedded PostgreSQL, or
// DATABASE_URL when set; rows generated before in that database are used as they are, so a large set is made once:
//   npm run bench:search [-- --size 1000000 --explain]
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_1m npm run bench:search -- --size 1000000 [--without-count | --count-at-least]
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { lastStatement, statementCount } from '../src/db/statement-counter';
import { fixtureId } from '../src/modules/fixture/fixture.ids';
import { benchmark, percentile } from './bench-support';

const options = parseArgs({
  options: {
    size: { type: 'string', default: process.env.SEARCH_BENCH_ROWS ?? '100000' },
    runs: { type: 'string', default: '25' },
    explain: { type: 'boolean', default: false },
    // Leave totalCount out of the operation: an exact count reads every visible match, whatever the page size.
    'without-count': { type: 'boolean', default: false },
    // Ask for totalCountAtLeast (counted up to countLimit, 1000) instead of the exact totalCount.
    'count-at-least': { type: 'boolean', default: false },
  },
}).values;
const ROWS = Number(options.size);
const RUNS = Number(options.runs);
// Each form: a rare word (1 row in 5 · size), a phrase, a prefix, a common term (1 row in 7), a misspelt name, two words.
const QUERIES: Array<[string, string]> = [
  ['rare word', 'rare-word-7777'],
  ['phrase', '"Kursk and winter"'],
  ['prefix', 'kurs*'],
  ['common term', 'Kursk'],
  ['typo name', 'Stoltenbrg'],
  ['two words', 'artillery drones'],
];
const COUNT = options['without-count'] ? '' : options['count-at-least'] ? 'totalCountAtLeast { count exact } ' : 'totalCount ';
const OPERATION = `query S($q: String!) { search(query: $q, first: 20) { ${COUNT}nodes { type rank matchedField snippet { text } item { id } } } }`;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

type Sent = ReturnType<typeof lastStatement>;

async function measure(url: string, label: string, explain: (form: string, sent: Sent) => Promise<void>) {
  console.log(`${label}: ${RUNS} runs per form (after 3 warm-up runs), load average ${load()}`);
  for (const [form, q] of QUERIES) {
    const ms: number[] = [];
    let statements = 0;
    let total = 0;
    for (let i = 0; i < RUNS + 3; i++) {
      const before = statementCount();
      const start = performance.now();
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: OPERATION, variables: { q } }),
      });
      const body = (await res.json()) as { errors?: unknown; data: { search: { totalCount?: number; totalCountAtLeast?: { count: number } } } };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      if (i >= 3) ms.push(performance.now() - start);
      statements = statementCount() - before;
      total = body.data.search.totalCount ?? body.data.search.totalCountAtLeast?.count ?? -1;
    }
    const s = ms.sort((a, b) => a - b);
    console.log(
      `  ${form.padEnd(12)} ${JSON.stringify(q).padEnd(20)} p50 ${percentile(s, 50).toFixed(1).padStart(7)} ms  p95 ${percentile(s, 95)
        .toFixed(1)
        .padStart(7)} ms  totalCount ${(total < 0 ? 'not asked' : String(total)).padStart(9)}  ${statements} SQL statement(s)`,
    );
    if (options.explain) await explain(form, lastStatement());
  }
  console.log(`  load average after: ${load()}`);
}

// A long statement timeout: generating a million rows is one statement (with its change records).
benchmark({ RATE_LIMIT_POINTS: '100000', STATEMENT_TIMEOUT_MS: '1800000' }, async (dataSource, url) => {
  const explain = async (form: string, last: Sent) => {
    if (!last) return;
    const plan = await dataSource.query<Array<{ 'QUERY PLAN': string }>>(`EXPLAIN (ANALYZE, BUFFERS) ${last.query}`, last.parameters);
    console.log(`--- ${form}: SQL\n${last.query}\n--- parameters ${JSON.stringify(last.parameters)}`);
    console.log(`--- ${form}: EXPLAIN (ANALYZE, BUFFERS)\n${plan.map((r) => r['QUERY PLAN']).join('\n')}\n`);
  };
  const [{ made }] = await dataSource.query<Array<{ made: number }>>(
    `SELECT count(*)::int AS made FROM (SELECT 1 FROM capability WHERE statement LIKE 'Generated statement %' LIMIT $1) g`,
    [ROWS],
  );
  if (made < ROWS) {
    if (!made) await measure(url, 'seed', explain);
    const start = performance.now();
    await dataSource.query(
      `INSERT INTO capability (id, topic_id, actor_id, category, statement, marking)
       SELECT gen_random_uuid(), $1, $2, 'TACTICS', 'Generated statement ' || i || ' on ' ||
         (ARRAY['artillery', 'drones', 'logistics', 'Kursk', 'Pyongyang', 'training', 'air defence'])[1 + i % 7] || ' and ' ||
         (ARRAY['supply', 'morale', 'rare-word-' || i, 'winter', 'casualties'])[1 + i % 5], 'CLEAR'
       FROM generate_series($3::int + 1, $4::int) i`,
      [fixtureId('topic', 'dprk-troops-in-russia'), fixtureId('actor', 'korean-peoples-army'), made, ROWS],
    );
    await dataSource.query('ANALYZE');
    console.log(`generated ${ROWS - made} capabilities in ${((performance.now() - start) / 1000).toFixed(1)} s`);
  }
  const [{ n }] = await dataSource.query<Array<{ n: number }>>(
    `SELECT (SELECT count(*) FROM capability) + (SELECT count(*) FROM challenge) + (SELECT count(*) FROM implication)
      + (SELECT count(*) FROM event) + (SELECT count(*) FROM actor_relation) AS n`,
  );
  await measure(url, `${ROWS} generated capabilities, ${n} statements in all`, explain);
});
