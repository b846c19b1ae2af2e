// Benchmark: how long `distribution` and `timeSeries` take on the seed and on a generated topic of many statements,
// from the rollup and by a scan, with the SQL of each. Prints figures; it asserts nothing. Uses a throwaway embedded
// PostgreSQL, or DATABASE_URL when set; a database that holds the generated topic already is used as it is, so a large
// one is generated once:
//   npm run bench:aggregates [-- --size 100000 --runs 50 --sql --served --only 'ACTOR, top']   (4 statements per actor:
//   100,000 statements = 25,000 actors; --served: only as served, no scans; --only: the cases whose name holds this)
//   createdb -h 127.0.0.1 -U postgres bench_1m
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_1m npm run bench:aggregates -- --size 1000000
import { parseArgs } from 'node:util';
import { Marking } from '../src/common/marking';
import { ANONYMOUS } from '../src/common/viewer';
import { statementCount } from '../src/db/statement-counter';
import { DistributionField, Interval, TimeField } from '../src/modules/aggregate/aggregate.types';
import { loadavg } from 'node:os';
import { distribution, distributionSql, type AggregatePath } from '../src/modules/aggregate/distribution';
import { timeSeries, timeSeriesSql, type TimeSeriesArgs } from '../src/modules/aggregate/time-series';
import { addGeneratedTopic } from '../tests/support/generated-topic';
import { benchmark, percentile } from './bench-support';

const options = parseArgs({
  options: {
    size: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '50' },
    sql: { type: 'boolean', default: false },
    served: { type: 'boolean', default: false },
    only: { type: 'string' },
  },
}).values;
const RUNS = Number(options.runs);
// Scans of a million statements take seconds each: fewer runs of them.
const SCAN_RUNS = Math.min(RUNS, 10);

async function timed(work: () => Promise<unknown>, runs = RUNS): Promise<string> {
  for (let i = 0; i < Math.min(3, runs); i += 1) await work(); // warm-up: connection pool, plan cache, buffers
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = process.hrtime.bigint();
    await work();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const s = times.sort((a, b) => a - b);
  return `p50 ${percentile(s, 50).toFixed(1)} ms, p95 ${percentile(s, 95).toFixed(1)} ms`;
}

// A long statement timeout: generating the topic is one statement (with its change records).
benchmark({ EMBEDDED_PG_PORT: '54343', STATEMENT_TIMEOUT_MS: '1800000' }, async (dataSource) => {
  const viewer = { ...ANONYMOUS, clearance: Marking.GREEN };
  const size = Math.ceil(Number(options.size) / 4);
  const start = Date.now();
  const [existing] = await dataSource.query<Array<{ id: string }>>(`SELECT id FROM topic WHERE slug = $1`, [`generated-${size}`]);
  if (!existing) {
    await addGeneratedTopic(dataSource, size);
    await dataSource.query('SELECT compact_aggregate_rollup(), compact_change_rollup()');
    await dataSource.query('ANALYZE');
  }
  const [{ n }] = await dataSource.query<Array<{ n: number }>>(
    `SELECT (SELECT count(*) FROM capability) + (SELECT count(*) FROM challenge) + (SELECT count(*) FROM implication)
      + (SELECT count(*) FROM event) + (SELECT count(*) FROM actor_relation) AS n`,
  );
  const made = existing ? 'generated before' : `made in ${((Date.now() - start) / 1000).toFixed(1)} s`;
  console.log(
    `generated-${size}: ${n} statements in all, ${made}; ${RUNS} runs each, GREEN reader; load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  for (const topic of [null, 'dprk-troops-in-russia', `generated-${size}`]) {
    const filter = topic ? { topic } : null;
    const series = (of: TimeField, interval: Interval, from: string, to: string): TimeSeriesArgs => ({ of, interval, from, to, filter });
    const cases: Array<[string, (path: AggregatePath) => { text: string }, (path: AggregatePath) => Promise<unknown>]> = [];
    const dist = (name: string, field: DistributionField, top?: number) =>
      cases.push([
        name,
        (path) => distributionSql(viewer, field, null, filter, top, path),
        (path) => distribution(dataSource, viewer, field, null, filter, top, path),
      ]);
    const time = (name: string, args: TimeSeriesArgs) =>
      cases.push([name, (path) => timeSeriesSql(viewer, { ...args, path }), (path) => timeSeries(dataSource, viewer, { ...args, path })]);
    dist('distribution(of: MARKING), every kind', DistributionField.MARKING);
    dist('distribution(of: CATEGORY)', DistributionField.CATEGORY);
    dist('distribution(of: SOURCE)', DistributionField.SOURCE);
    dist('distribution(of: RELIABILITY)', DistributionField.RELIABILITY);
    dist('distribution(of: LIKELIHOOD)', DistributionField.LIKELIHOOD);
    dist('distribution(of: ACTOR, top: 10)', DistributionField.ACTOR, 10);
    dist('distribution(of: ACTOR_KIND)', DistributionField.ACTOR_KIND);
    dist('distribution(of: PUBLISHER, top: 10)', DistributionField.PUBLISHER, 10);
    time('timeSeries(EVENT_DATE, MONTH, 2024)', series(TimeField.EVENT_DATE, Interval.MONTH, '2024-01-01', '2024-12-31'));
    time('timeSeries(REPORT_DATE, MONTH, 2024)', series(TimeField.REPORT_DATE, Interval.MONTH, '2024-01-01', '2024-12-31'));
    time('timeSeries(CHANGE_DATE, DAY, 30 days)', series(TimeField.CHANGE_DATE, Interval.DAY, daysAgo(29), daysAgo(0)));
    time('timeSeries(CHANGE_DATE, MONTH, since 2000)', series(TimeField.CHANGE_DATE, Interval.MONTH, '2000-01-01', daysAgo(0)));
    for (const [name, text, work] of cases) {
      if (options.only && !name.includes(options.only)) continue;
      for (const path of ['auto', 'scan'] as const) {
        if (path === 'scan' && (options.served || text('scan').text === text('auto').text)) continue;
        const before = statementCount();
        await work(path);
        const statements = statementCount() - before;
        console.log(
          `${topic ?? 'no filter'} ${name} [${path === 'auto' ? 'as served' : 'scan'}]: ${await timed(() => work(path), path === 'scan' ? SCAN_RUNS : RUNS)} (${statements} SQL statement)`,
        );
        if (options.sql) console.log(`  ${text(path).text.replace(/\s+/g, ' ')}`);
      }
    }
  }
});

function daysAgo(days: number) {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}
