// Times `search` over HTTP on the seed, then with generated capabilities (--size, or SEARCH_BENCH_ROWS, default
// 100,000) added by one INSERT ... SELECT: p50/p95 per query and the SQL statements each sends.
//   npm run bench:search [-- --size 1000000]
import { parseArgs } from 'node:util';
import { statementCount } from '../src/db/statement-counter';
import { fixtureId } from '../src/modules/fixture/fixture.ids';
import { benchmark, percentile } from './bench-support';

const { size } = parseArgs({ options: { size: { type: 'string', default: process.env.SEARCH_BENCH_ROWS ?? '100000' } } }).values;
const ROWS = Number(size);
const QUERIES = ['Kursk', '"Kursk region"', 'kurs*', 'Stoltenbrg', 'artillery drones', 'rare-word-7777'];
const OPERATION = `query S($q: String!) { search(query: $q, first: 20) { totalCount nodes { type rank matchedField snippet { text } item { id } } } }`;

async function measure(url: string, label: string) {
  for (const q of QUERIES) {
    const ms: number[] = [];
    let statements = 0;
    for (let i = 0; i < 25; i++) {
      const before = statementCount();
      const start = performance.now();
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: OPERATION, variables: { q } }),
      });
      const body = (await res.json()) as { errors?: unknown };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      ms.push(performance.now() - start);
      statements = statementCount() - before;
    }
    const s = ms.sort((a, b) => a - b);
    console.log(
      `${label} ${JSON.stringify(q).padEnd(20)} p50 ${percentile(s, 50).toFixed(1)} ms  p95 ${percentile(s, 95).toFixed(1)} ms  ${statements} SQL statement(s)`,
    );
  }
}

benchmark({ RATE_LIMIT_POINTS: '100000' }, async (dataSource, url) => {
  await measure(url, 'seed');
  const start = performance.now();
  await dataSource.query(
    `INSERT INTO capability (id, topic_id, actor_id, category, statement, marking)
     SELECT gen_random_uuid(), $1, $2, 'TACTICS', 'Generated statement ' || i || ' on ' ||
       (ARRAY['artillery', 'drones', 'logistics', 'Kursk', 'Pyongyang', 'training', 'air defence'])[1 + i % 7] || ' and ' ||
       (ARRAY['supply', 'morale', 'rare-word-' || i, 'winter', 'casualties'])[1 + i % 5], 'CLEAR'
     FROM generate_series(1, $3::int) i`,
    [fixtureId('topic', 'dprk-troops-in-russia'), fixtureId('actor', 'korean-peoples-army'), ROWS],
  );
  await dataSource.query('ANALYZE');
  console.log(`generated ${ROWS} capabilities in ${((performance.now() - start) / 1000).toFixed(1)} s`);
  await measure(url, `${ROWS}`);
});
