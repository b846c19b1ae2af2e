// Benchmark: importing a document of 10,000 items (statements with their citations) through importData over HTTP,
// as `npm run import` does; and the SQL statements a write sends. Prints figures; it asserts nothing. Uses a
// throwaway embedded PostgreSQL, or DATABASE_URL when set. The database server's CPU is given when it runs on this
// machine (the postmaster's and its children's, from /proc: on a shared server, others' work too).
//   npm run bench:import [-- --statements 5000 --runs 3]
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { Marking } from '../src/common/marking';
import { statementCount } from '../src/db/statement-counter';
import { fixtureId } from '../src/modules/fixture/fixture.ids';
import { createKey } from '../src/modules/identity/api-key.service';
import { Role } from '../src/modules/identity/role';
import { toGlobalId } from '../src/read/global-id';
import { benchmark, databaseCpu, percentile } from './bench-support';

const options = parseArgs({ options: { statements: { type: 'string', default: '5000' }, runs: { type: 'string', default: '3' } } }).values;
const STATEMENTS = Number(options.statements);
const RUNS = Number(options.runs);

/** A document of `n` statements of every kind, each with one citation, about 20 actors and 10 sources. */
function generated(topic: string, n: number, revision = 0) {
  const actors = Array.from({ length: 20 }, (_, i) => ({ key: `actor-${i}`, name: `${topic} actor ${i}`, kind: 'ARMED_FORCE' }));
  const sources = Array.from({ length: 10 }, (_, i) => ({ key: `source-${i}`, name: `Source ${i}`, kind: 'MEDIA_REPORT', reliability: 'C' }));
  const cite = (i: number) => [{ source: `source-${i % 10}`, verb: 'REPORTS', quote: `report number ${i}`, credibility: 3 }];
  const text = (i: number) => `Statement ${i}${revision && i % 10 === 0 ? ` (revision ${revision})` : ''}.`;
  const actor = (i: number) => `actor-${i % 20}`;
  const per = Math.ceil(n / 5);
  const range = (kind: number) => Array.from({ length: Math.max(0, Math.min(per, n - kind * per)) }, (_, j) => kind * per + j);
  return {
    topic: { key: topic, title: `Generated ${topic}`, summary: 'A generated topic for the import benchmark.' },
    actors,
    sources,
    capabilities: range(0).map((i) => ({ key: `c-${i}`, actor: actor(i), category: 'EQUIPMENT', statement: text(i), citations: cite(i) })),
    challenges: range(1).map((i) => ({ key: `h-${i}`, actor: actor(i), category: 'LOGISTICS', statement: text(i), citations: cite(i) })),
    implications: range(2).map((i) => ({ key: `m-${i}`, statement: text(i), likelihood: 'LIKELY', affectedActors: [actor(i)], citations: cite(i) })),
    events: range(3).map((i) => ({ key: `e-${i}`, title: text(i), occurredOn: '2025-01-01', precision: 'DAY', actors: [actor(i)], citations: cite(i) })),
    relations: range(4).map((i) => ({ key: `r-${i}`, from: actor(i), to: actor(i + 1), type: 'SUPPORTS', description: text(i), citations: cite(i) })),
  };
}

const IMPORT = `mutation($document: String!, $name: String) { importData(format: DOSSIER, document: $document, name: $name) {
  applied counts { table created updated unchanged retracted kept } problems { path message } } }`;

type Counts = { created: number; updated: number; unchanged: number; retracted: number; kept: number };

benchmark(
  { EMBEDDED_PG_PORT: process.env.EMBEDDED_PG_PORT ?? '54349', MAX_BODY_BYTES: String(64 * 1024 * 1024), STATEMENT_TIMEOUT_MS: '60000' },
  async (dataSource, url) => {
    const { key } = await createKey(dataSource.manager, { name: 'bench-importer', role: Role.ANALYST, clearance: Marking.AMBER, organisation: 'bench' });
    const post = async (query: string, variables: Record<string, unknown>) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body.data!;
    };

    // Peak memory of this process (the service and its client): the most resident memory seen while importing.
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    const importOnce = async (document: string, name: string) => {
      const before = statementCount();
      const cpuBefore = await databaseCpu(dataSource);
      const start = process.hrtime.bigint();
      const { importData } = (await post(IMPORT, { document, name })) as { importData: { applied: boolean; counts: Counts[]; problems: unknown[] } };
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      const cpuAfter = await databaseCpu(dataSource);
      // What folding the import's rollup deltas costs (the service does so every ROLLUP_COMPACT_INTERVAL_MS).
      await dataSource.query('SELECT compact_aggregate_rollup()');
      const cpuFolded = await databaseCpu(dataSource);
      const cpu = cpuBefore != null && cpuAfter != null && cpuFolded != null ? { write: cpuAfter - cpuBefore, fold: cpuFolded - cpuAfter } : null;
      if (!importData.applied) throw new Error(JSON.stringify(importData.problems.slice(0, 5)));
      const sum = importData.counts.reduce(
        (t, c) => ({
          created: t.created + c.created,
          updated: t.updated + c.updated,
          unchanged: t.unchanged + c.unchanged,
          retracted: t.retracted + c.retracted,
          kept: t.kept + c.kept,
        }),
        { created: 0, updated: 0, unchanged: 0, retracted: 0, kept: 0 },
      );
      return { ms, cpu, sql: statementCount() - before, counts: sum };
    };
    const describe = (what: string, runs: Array<{ ms: number; cpu: { write: number; fold: number } | null; sql: number; counts: Counts }>) => {
      const ms = runs.map((r) => r.ms).sort((a, b) => a - b);
      const cpu = runs.every((r) => r.cpu != null) ? runs.map((r) => r.cpu!).sort((a, b) => a.write - b.write)[Math.floor(runs.length / 2)] : null;
      const items = Object.values(runs[0].counts).reduce((a, b) => a + b, 0);
      const median = percentile(ms, 50);
      console.log(
        `${what}: ${items} items, median ${(median / 1000).toFixed(2)} s (min ${(ms[0] / 1000).toFixed(2)} s, ${runs.length} runs), ` +
          `${Math.round(items / (median / 1000))} items/s, ${cpu ? `database CPU median ${cpu.write.toFixed(2)} s (folding its rollup deltas then ${cpu.fold.toFixed(2)} s), ` : ''}` +
          `${runs[0].sql} SQL statements, counts ${JSON.stringify(runs[0].counts)}`,
      );
    };

    const documents = Array.from({ length: RUNS }, (_, i) => JSON.stringify(generated(`bench-${i}`, STATEMENTS)));
    console.log(`document: ${STATEMENTS} statements with one citation each, ${(documents[0].length / 1024 / 1024).toFixed(1)} MiB of JSON`);
    const baseline = process.memoryUsage().rss;
    const created = [];
    for (const [i, document] of documents.entries()) created.push(await importOnce(document, `bench-${i}`));
    describe('first import (all created)', created);
    const again = [];
    for (const [i, document] of documents.entries()) again.push(await importOnce(document, `bench-${i}`));
    describe('the same document again (all unchanged)', again);
    const revised = [];
    for (let i = 0; i < RUNS; i += 1) revised.push(await importOnce(JSON.stringify(generated(`bench-${i}`, STATEMENTS, 1)), `bench-${i}`));
    describe('a revision changing every tenth statement', revised);
    const yaml = stringify(generated('bench-yaml', STATEMENTS));
    describe('the first document written as YAML instead (all created)', [await importOnce(yaml, 'bench-yaml')]);
    clearInterval(sampler);
    console.log(
      `peak resident memory while importing: ${(peak / 1024 / 1024).toFixed(0)} MiB (${((peak - baseline) / 1024 / 1024).toFixed(0)} MiB above the service at rest)`,
    );

    // SQL statements of single writes through the API, for comparison.
    const topic = 'dprk-troops-in-russia';
    const source = toGlobalId('Source', fixtureId('source', 'uk-di-update-2024-11-03'));
    const actor = toGlobalId('Actor', fixtureId('actor', 'korean-peoples-army'));
    const counted = async (what: string, query: string, variables: Record<string, unknown>) => {
      const before = statementCount();
      const data = await post(query, variables);
      console.log(`SQL statements of ${what}: ${statementCount() - before}`);
      return Object.values(data)[0] as { id: string; version: number };
    };
    const made = await counted('createCapability with one citation', `mutation($input: CapabilityInput!) { createCapability(input: $input) { id version } }`, {
      input: { topic, actor, category: 'EQUIPMENT', statement: 'Bench capability.', citations: [{ source, verb: 'REPORTS', quote: 'bench', credibility: 3 }] },
    });
    const changed = await counted(
      'updateCapability',
      `mutation($id: ID!, $v: Int) { updateCapability(id: $id, version: $v, input: { statement: "Bench, changed." }) { id version } }`,
      {
        id: made.id,
        v: made.version,
      },
    );
    await counted('addCitation', `mutation($id: ID!, $input: CitationInput!) { addCitation(statement: $id, input: $input) { id version } }`, {
      id: made.id,
      input: { source, verb: 'REPORTS', page: '2', credibility: 3 },
    });
    await counted('retractCapability', `mutation($id: ID!) { retractCapability(id: $id, reason: "bench") { id version } }`, { id: changed.id });
  },
);
