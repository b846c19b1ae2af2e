// The benchmark's table: medians over runs, ratios taken inside each run (its targets ran minutes apart under the
// same background load) and then their median, and each goal marked met or not.
//   node report.mjs <size> results/run1 [results/run2 ...]
import { readdirSync, readFileSync } from 'node:fs';

const [size, ...dirs] = process.argv.slice(2);
const runs = dirs.map((d) =>
  readdirSync(d)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(`${d}/${f}`, 'utf8'))),
);
const med = (xs) => {
  const a = xs.filter((x) => x != null && Number.isFinite(x)).sort((p, q) => p - q);
  if (!a.length) return null;
  const m = a.length >> 1;
  return a.length % 2 ? a[m] : (a[m - 1] + a[m]) / 2;
};
const fmt = (x, unit) => (x == null ? '-' : unit === 'ms' ? `${x.toFixed(1)} ms` : unit === 'x' ? `${x.toFixed(2)}x` : `${x.toFixed(1)} req/s`);
const pick = (rows, target, data, conc) => rows.find((r) => r.target === target && r.data === data && r.conc === conc);
/** The median over runs of one figure. */
const value = (target, data, conc, key) => med(runs.map((rows) => pick(rows, target, data, conc)?.[key]));
/** The median over runs of a ratio taken inside each run. */
const ratio = (a, b) =>
  med(
    runs.map((rows) =>
      pick(rows, ...a.slice(0, 3)) && pick(rows, ...b.slice(0, 3)) ? pick(rows, ...a.slice(0, 3))[a[3]] / pick(rows, ...b.slice(0, 3))[b[3]] : null,
    ),
  );

const D = {
  small20: 'small:perf-topic-0001',
  small100: 'small:perf-topic-0002',
  big20: `${size}:perf-topic-0001`,
  big100: `${size}:perf-topic-0002`,
};
const bigName = size === 'large' ? '2M-statement database' : `${size} database`;
const sets = [
  ['the 20-actor brief (200 statements)', 'small database', D.small20],
  ['the 20-actor brief (200 statements)', bigName, D.big20],
  ['the 100-actor brief (2,000 statements)', 'small database', D.small100],
  ['the 100-actor brief (2,000 statements)', bigName, D.big100],
];
const loads = runs.flat().map((r) => Number(r.loadavg?.split(' ')[0]));
console.log(`\n${runs.length} interleaved run(s); load average (1 min) during them: median ${med(loads)?.toFixed(1)}, max ${Math.max(...loads).toFixed(1)}\n`);
console.log('| | SQL floor | PostGraphile | Dossier query | Dossier `brief()` | Dossier ÷ PostGraphile | Dossier ÷ floor | `brief()` ÷ query |');
console.log('|---|---|---|---|---|---|---|---|');
const seen = new Set();
for (const [what, where, data] of sets) {
  if (seen.has(data)) continue;
  seen.add(data);
  for (const [conc, key, unit, label] of [
    [1, 'p50', 'ms', '1 client, p50'],
    [32, 'rps', 'rps', '32 clients, throughput'],
    [32, 'p99', 'ms', '32 clients, p99'],
  ]) {
    const cells = ['floor-http', 'postgraphile', 'dossier', 'dossier-brief'].map((t) => fmt(value(t, data, conc, key), unit));
    const rel = [
      ratio(['dossier', data, conc, key], ['postgraphile', data, conc, key]),
      ratio(['dossier', data, conc, key], ['floor-http', data, conc, key]),
      ratio(['dossier-brief', data, conc, key], ['dossier', data, conc, key]),
    ].map((x) => fmt(x, 'x'));
    console.log(`| ${what}, ${label}, ${where} | ${cells.join(' | ')} | ${rel.join(' | ')} |`);
  }
}
for (const data of seen) {
  const hit = (key, unit) => fmt(value('dossier-cached', data, 32, key), unit);
  console.log(
    `| the same query from the response cache, 32 clients, ${data} | - | ${fmt(value('postgraphile', data, 32, 'rps'), 'rps')} | ${hit('rps', 'rps')} (p99 ${hit('p99', 'ms')}) | - | ${fmt(ratio(['dossier-cached', data, 32, 'rps'], ['postgraphile', data, 32, 'rps']), 'x')} | - | - |`,
  );
}
const tn = ['-', 32, 'rps'];
console.log(
  `| \`{ __typename }\` at 32 clients (no database) | - | ${fmt(value('postgraphile-typename', ...tn), 'rps')} | ${fmt(value('dossier-typename', ...tn), 'rps')} | - | ${fmt(ratio(['dossier-typename', ...tn], ['postgraphile-typename', ...tn]), 'x')} | - | - |`,
);
const cpu = (t, d) => fmt(value(t, d, 1, 'serverCpuMs'), 'ms');
console.log(`\nServer CPU per request at 1 client (less sensitive to other load on the machine):`);
for (const [what, where, data] of sets.filter(([, , d], i, all) => all.findIndex(([, , e]) => e === d) === i)) {
  console.log(
    `- ${what}, ${where}: floor ${cpu('floor-http', data)}, PostGraphile ${cpu('postgraphile', data)}, Dossier ${cpu('dossier', data)}, brief() ${cpu('dossier-brief', data)}`,
  );
}
console.log(
  `- { __typename } at 32 clients: PostGraphile ${fmt(value('postgraphile-typename', '-', 32, 'serverCpuMs'), 'ms')}, Dossier ${fmt(value('dossier-typename', '-', 32, 'serverCpuMs'), 'ms')}`,
);

// The goals, each from the ratios above.
const goals = [];
const goal = (text, ok) => goals.push(`- [${ok == null ? 'not measured' : ok ? 'met' : 'not met'}] ${text}`);
const all = (xs) => (xs.some((x) => x == null) ? null : xs.every(Boolean));
const briefData = [...seen];
const tp = briefData.map((d) => ratio(['dossier', d, 32, 'rps'], ['postgraphile', d, 32, 'rps']));
goal(`throughput at 32 clients >= 1.5x PostGraphile's: ${tp.map((x) => fmt(x, 'x')).join(', ')}`, all(tp.map((x) => x != null && x >= 1.5)));
const p99 = briefData.map((d) => ratio(['dossier', d, 32, 'p99'], ['postgraphile', d, 32, 'p99']));
goal(`p99 at 32 clients <= PostGraphile's: ${p99.map((x) => fmt(x, 'x')).join(', ')}`, all(p99.map((x) => x != null && x <= 1)));
const fl = briefData.map((d) => ratio(['dossier', d, 1, 'p50'], ['floor-http', d, 1, 'p50']));
goal(`p50 at 1 client <= 1.3x the SQL floor: ${fl.map((x) => fmt(x, 'x')).join(', ')}`, all(fl.map((x) => x != null && x <= 1.3)));
const bq = briefData.map((d) => ratio(['dossier-brief', d, 1, 'p50'], ['dossier', d, 1, 'p50']));
goal(`brief() p50 within 1.5x of the plain query: ${bq.map((x) => fmt(x, 'x')).join(', ')}`, all(bq.map((x) => x != null && x <= 1.5)));
const indep = ratio(['dossier-brief', D.big20, 1, 'p50'], ['dossier-brief', D.small20, 1, 'p50']);
goal(
  `brief() independent of table size (same 200 statements, ${bigName} ÷ small, p50 at 1 client, within ±20 %): ${fmt(indep, 'x')}`,
  size === 'small' ? null : indep == null ? null : indep >= 0.8 && indep <= 1.2,
);
const t = ratio(['dossier-typename', '-', 32, 'rps'], ['postgraphile-typename', '-', 32, 'rps']);
goal(`{ __typename } throughput >= 0.5x PostGraphile's: ${fmt(t, 'x')}`, t == null ? null : t >= 0.5);
const cached = briefData.map((d) => ratio(['dossier-cached', d, 32, 'rps'], ['postgraphile', d, 32, 'rps']));
goal(
  `repeated brief from an exactly-fresh cache >= 10x PostGraphile's throughput: ${cached.map((x) => fmt(x, 'x')).join(', ')}`,
  all(cached.map((x) => x != null && x >= 10)),
);
goal('first page of any offered ordering over 1M rows under 20 ms (not part of this bench)', null);
console.log(`\nGoals (ratios of medians taken inside each run; ${briefData.join(', ')}):\n${goals.join('\n')}`);
