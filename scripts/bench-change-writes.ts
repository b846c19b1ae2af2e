// Benchmark: the database CPU that writing 5,000 statements (1,000 of each kind) and 5,000 citations costs, with the
// change rollup's triggers (count_change, count_creations) and without them, in one transaction each, rolled back so that every round
// writes into the same data. CPU is the backend's own (/proc/<pid>/stat, utime + stime), so the database must run on
// this machine; the deferred refreshes of the aggregate rollup are included (SET CONSTRAINTS ALL IMMEDIATE).
//   npm run -s bench:change-writes [-- --runs 5]   (DATABASE_URL to write into a large database)
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { benchmark, percentile } from './bench-support';

const { runs } = parseArgs({ options: { runs: { type: 'string', default: '5' } } }).values;

const TABLES: Array<[string, string, string]> = [
  ['capability', 'capability_id', `(id, topic_id, actor_id, category, statement) SELECT gen_random_uuid(), p.topic, p.a, 'TACTICS', 'bench ' || g`],
  ['challenge', 'challenge_id', `(id, topic_id, actor_id, category, statement) SELECT gen_random_uuid(), p.topic, p.a, 'LANGUAGE', 'bench ' || g`],
  ['implication', 'implication_id', `(id, topic_id, statement, likelihood) SELECT gen_random_uuid(), p.topic, 'bench ' || g, 'LIKELY'`],
  ['event', 'event_id', `(id, topic_id, title, occurred_on, precision) SELECT gen_random_uuid(), p.topic, 'bench ' || g, '2025-01-01', 'DAY'`],
  ['actor_relation', 'relation_id', `(id, topic_id, from_actor_id, to_actor_id, type) SELECT gen_random_uuid(), p.topic, p.a, p.b, 'SUPPORTS'`],
];

/** The tables a round writes. */
const WRITTEN = [
  ...TABLES.map(([table]) => table),
  ...['citation', 'change', 'change_rollup', 'change_item', 'change_access', 'aggregate_rollup', 'statement_contributions', 'search_entry', 'data_write'],
];

/** CPU seconds the backend `pid` has used. */
function cpuOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime: fields 14 and 15, in ticks of 1/100 s
}

benchmark({ EMBEDDED_PG_PORT: '54351', STATEMENT_TIMEOUT_MS: '600000' }, async (dataSource) => {
  type Row = { id: string };
  const [topic] = await dataSource.query<Row[]>(`SELECT id FROM topic ORDER BY slug LIMIT 1`);
  const [a, b] = await dataSource.query<Row[]>(`SELECT id FROM actor ORDER BY id LIMIT 2`);
  const [source] = await dataSource.query<Row[]>(`SELECT id FROM source ORDER BY id LIMIT 1`);
  const round = async (withTrigger: boolean) => {
    const runner = dataSource.createQueryRunner();
    try {
      await runner.startTransaction();
      if (!withTrigger) for (const trigger of ['count_change', 'count_creations']) await runner.query(`DROP TRIGGER ${trigger} ON change`);
      const [{ pid }] = (await runner.query(`SELECT pg_backend_pid() AS pid`)) as Array<{ pid: number }>;
      const start = cpuOf(pid);
      for (const [table, cited, insert] of TABLES) {
        await runner.query(
          `WITH p AS (SELECT $1::uuid AS topic, $2::uuid AS a, $3::uuid AS b),
             s AS (INSERT INTO ${table} ${insert} FROM p, generate_series(1, 1000) g RETURNING id)
           INSERT INTO citation (id, source_id, verb, quote, credibility, ${cited}) SELECT gen_random_uuid(), $4, 'REPORTS', 'bench', 3, id FROM s`,
          [topic.id, a.id, b.id, source.id],
        );
      }
      await runner.query(`SET CONSTRAINTS ALL IMMEDIATE`);
      return cpuOf(pid) - start;
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  };
  const times: Record<string, number[]> = { without: [], with: [] };
  // Vacuumed before each round: the rows a rolled-back round leaves dead would slow the next one.
  const vacuum = () => dataSource.query(`VACUUM ${WRITTEN.join(', ')}`);
  for (let i = 0; i < Number(runs); i += 1) {
    await vacuum();
    times.without.push(await round(false));
    await vacuum();
    times.with.push(await round(true));
  }
  const median = (xs: number[]) =>
    percentile(
      [...xs].sort((x, y) => x - y),
      50,
    ).toFixed(2);
  console.log(
    `5,000 statements + 5,000 citations, database CPU (median of ${runs}): without the rollup's triggers ${median(times.without)} s, with ${median(times.with)} s`,
  );
  console.log(
    `  without ${times.without.map((t) => t.toFixed(2)).join(' ')}; with ${times.with.map((t) => t.toFixed(2)).join(' ')}; load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
});
