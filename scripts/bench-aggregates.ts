// Benchmark: how long `distribution` and `timeSeries` take on the seed and on a generated topic of many statements.
// Prints figures; it asserts nothing. Uses a throwaway embedded PostgreSQL, or DATABASE_URL when set.
//   npm run bench:aggregates [-- --actors 25000 --runs 50]   (4 statements per actor: 25000 actors = 100,000 statements)
import { parseArgs } from 'node:util';
import { Marking } from '../src/common/marking';
import { ANONYMOUS } from '../src/common/viewer';
import { statementCount } from '../src/db/statement-counter';
import { DistributionField, Interval, TimeField } from '../src/modules/aggregate/aggregate.types';
import { distribution } from '../src/modules/aggregate/distribution';
import { timeSeries } from '../src/modules/aggregate/time-series';
import { addGeneratedTopic } from '../tests/support/generated-topic';
import { benchmark, percentile } from './bench-support';

const { actors, runs } = parseArgs({ options: { actors: { type: 'string', default: '25000' }, runs: { type: 'string', default: '50' } } }).values;
const RUNS = Number(runs);

async function timed(work: () => Promise<unknown>): Promise<string> {
  for (let i = 0; i < 3; i += 1) await work(); // warm-up: connection pool, plan cache, buffers
  const times: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
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
  const size = Number(actors);
  const start = Date.now();
  await addGeneratedTopic(dataSource, size);
  await dataSource.query('ANALYZE');
  const [{ n }] = await dataSource.query<Array<{ n: number }>>(
    `SELECT (SELECT count(*) FROM capability) + (SELECT count(*) FROM challenge) + (SELECT count(*) FROM implication)
      + (SELECT count(*) FROM event) + (SELECT count(*) FROM actor_relation) AS n`,
  );
  console.log(`generated-${size}: ${n} statements in all, made in ${((Date.now() - start) / 1000).toFixed(1)} s; ${RUNS} runs each, GREEN reader`);
  for (const topic of ['dprk-troops-in-russia', `generated-${size}`]) {
    const filter = { topic };
    const cases: Array<[string, () => Promise<unknown>]> = [
      ['distribution(of: MARKING), every kind', () => distribution(dataSource, viewer, DistributionField.MARKING, null, filter)],
      ['distribution(of: CATEGORY)', () => distribution(dataSource, viewer, DistributionField.CATEGORY, null, filter)],
      ['distribution(of: ACTOR, top: 10)', () => distribution(dataSource, viewer, DistributionField.ACTOR, null, filter, 10)],
      ['distribution(of: SOURCE)', () => distribution(dataSource, viewer, DistributionField.SOURCE, null, filter)],
      ['distribution(of: LIKELIHOOD)', () => distribution(dataSource, viewer, DistributionField.LIKELIHOOD, null, filter)],
      [
        'timeSeries(EVENT_DATE, MONTH, 2024)',
        () => timeSeries(dataSource, viewer, { of: TimeField.EVENT_DATE, interval: Interval.MONTH, from: '2024-01-01', to: '2024-12-31', filter }),
      ],
      [
        'timeSeries(REPORT_DATE, MONTH, 2024)',
        () => timeSeries(dataSource, viewer, { of: TimeField.REPORT_DATE, interval: Interval.MONTH, from: '2024-01-01', to: '2024-12-31', filter }),
      ],
      [
        'timeSeries(CHANGE_DATE, DAY, 30 days)',
        () => timeSeries(dataSource, viewer, { of: TimeField.CHANGE_DATE, interval: Interval.DAY, from: daysAgo(29), to: daysAgo(0), filter }),
      ],
    ];
    for (const [name, work] of cases) {
      const before = statementCount();
      await work();
      const statements = statementCount() - before;
      console.log(`${topic} ${name}: ${await timed(work)} (${statements} SQL statement)`);
    }
  }
});

function daysAgo(days: number) {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}
