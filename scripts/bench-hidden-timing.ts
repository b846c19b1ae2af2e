// Benchmark: does a brief for a hidden actor take longer than one for a missing actor? Both must be refused alike,
// in the same time. Prints medians and the z-score of the paired differences; it asserts nothing.
//   npm run bench:hidden-timing [-- --pairs 500]
import { parseArgs } from 'node:util';
import { fixtureId } from '../src/modules/fixture/fixture.ids';
import { toGlobalId } from '../src/read/global-id';
import { benchmark, percentile } from './bench-support';

const { pairs } = parseArgs({ options: { pairs: { type: 'string', default: '500' } } }).values;
const PAIRS = Number(pairs);
const HIDDEN = '00000000-0000-4000-8000-0000000b1d01';
const MISSING = '00000000-0000-4000-8000-0000000b1d02';

benchmark({ EMBEDDED_PG_PORT: '54338', RATE_LIMIT_POINTS: '1000000' }, async (ds, url) => {
  // An AMBER actor that fifty CLEAR statements (each with a citation) are about: the work a leak would show.
  await ds.query(`INSERT INTO actor (id, name, kind, marking) VALUES ($1, 'Hidden unit', 'MILITARY_UNIT', 'AMBER')`, [HIDDEN]);
  const [source] = await ds.query<Array<{ id: string }>>(`SELECT id FROM source ORDER BY name LIMIT 1`);
  await ds.query(
    `WITH c AS (INSERT INTO capability (id, topic_id, actor_id, category, statement)
       SELECT gen_random_uuid(), $1, $2, 'TACTICS', 'Statement ' || g FROM generate_series(1, 50) g RETURNING id)
     INSERT INTO citation (id, source_id, verb, quote, credibility, capability_id) SELECT gen_random_uuid(), $3, 'STATES', 'q', 2, id FROM c`,
    [fixtureId('topic', 'dprk-troops-in-russia'), HIDDEN, source.id],
  );
  const time = async (actor: string) => {
    const body = JSON.stringify({ query: 'query($a: ID!) { brief(input: { actors: [$a] }) { marking } }', variables: { a: toGlobalId('Actor', actor) } });
    const start = process.hrtime.bigint();
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const answer = (await response.json()) as { errors?: Array<{ extensions?: { code?: unknown } }> };
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (answer.errors?.[0]?.extensions?.code !== 'BAD_USER_INPUT') throw new Error(`expected a refusal, got ${JSON.stringify(answer)}`);
    return ms;
  };
  for (let i = 0; i < 50; i += 1) await time(i % 2 ? HIDDEN : MISSING); // warm-up
  const hidden: number[] = [];
  const missing: number[] = [];
  for (let i = 0; i < PAIRS; i += 1) {
    // Alternate which goes first, so drift and caching favour neither.
    if (i % 2) {
      hidden.push(await time(HIDDEN));
      missing.push(await time(MISSING));
    } else {
      missing.push(await time(MISSING));
      hidden.push(await time(HIDDEN));
    }
  }
  const differences = hidden.map((h, i) => h - missing[i]);
  const mean = differences.reduce((a, b) => a + b, 0) / PAIRS;
  const sd = Math.sqrt(differences.reduce((a, d) => a + (d - mean) ** 2, 0) / (PAIRS - 1));
  const median = (xs: number[]) =>
    percentile(
      [...xs].sort((a, b) => a - b),
      50,
    );
  console.log(`brief for a hidden actor (50 statements about it): median ${median(hidden).toFixed(3)} ms`);
  console.log(`brief for a missing actor:                         median ${median(missing).toFixed(3)} ms`);
  console.log(
    `paired difference hidden - missing: mean ${(mean * 1000).toFixed(0)} µs, median ${(median(differences) * 1000).toFixed(0)} µs, z = ${(mean / (sd / Math.sqrt(PAIRS))).toFixed(2)} over ${PAIRS} pairs`,
  );
});
