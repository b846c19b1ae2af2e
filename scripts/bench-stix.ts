// Benchmark: a generated STIX 2.1 bundle of 10,000 objects (actors, reports, relationships between the actors)
// imported through importData over HTTP, imported again (nothing changes), then its topic exported with stixBundle
// and streamed from GET /stix/bundle, in this process and then each alone in a fresh one. Prints time, objects per
// second and peak resident memory (RSS) of each, and the peak of the whole process; asserts nothing but that the
// streamed bytes are stixBundle's. Uses a throwaway embedded PostgreSQL, or DATABASE_URL.
//   npm run bench:stix [-- --objects 10000] [--alone graphql,identity] [--import-only]
// --import-only: the two imports alone, no export (the import's own figure, quicker).
import 'reflect-metadata';
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { Marking } from '../src/common/marking';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db/database';
import { databaseUrl } from '../src/db/database-url';
import { createKey, identityOfKey } from '../src/modules/identity/api-key.service';
import { exportStixBundleParts } from '../src/modules/stix/stix-export';
import { Role } from '../src/modules/identity/role';
import { buildDossierSchema } from '../src/server/schema';
import { createApp } from '../src/server/app';
import { benchmark } from './bench-support';
import { generated } from './bench-stix-bundle';

// --alone graphql,identity: only those exports in a fresh process (graphql, fetch, gzip, identity, build).
const ALONE = ['graphql', 'fetch', 'gzip', 'identity', 'build'];
const options = parseArgs({
  options: {
    objects: { type: 'string', default: '10000' },
    alone: { type: 'string', default: ALONE.join(',') },
    'import-only': { type: 'boolean', default: false },
  },
}).values;
const OBJECTS = Number(options.objects);
interface Answer {
  importData: { applied: boolean; counts: Array<{ table: string; created: number }>; problems: unknown[] };
  stixBundle: { objectCount: number; json: string };
}

const IMPORT = `mutation($document: String!) { importData(format: STIX_BUNDLE, document: $document, name: "bench") {
  applied counts { table created updated unchanged retracted kept } skipped { id } problems { path message } } }`;
const EXPORT = `query { stixBundle(scope: { topics: ["stix-bench"] }) { objectCount json } }`;

const ENV = { MAX_BODY_BYTES: String(128 * 1024 * 1024), STATEMENT_TIMEOUT_MS: '120000', LOG_LEVEL: 'error' };
const MiB = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

// Peaks as the kernel counts them (VmHWM, Linux), not sampled: a sampler cannot run while JSON is parsed or written,
// which is when the peak comes. Each step resets the mark to the RSS it starts at (/proc/self/clear_refs); nothing is
// collected before a step, so the garbage earlier steps left counts as it would in a service.
const kernel = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync('/proc/self/status', 'utf8'))![1]) * 1024;
let processPeak = 0;
function resetPeak(): number {
  processPeak = Math.max(processPeak, kernel('VmHWM'));
  writeFileSync('/proc/self/clear_refs', '5');
  return kernel('VmRSS');
}
const peakOfProcess = () => Math.max(processPeak, kernel('VmHWM'));
/** The process's RSS as it started: the modules loaded, nothing served. */
let startedRss = 0;

const post = async <T>(url: string, key: string, query: string, variables: Record<string, unknown> = {}): Promise<T> => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors).slice(0, 2000));
  return body.data!;
};

const measured = async <T>(what: string, objects: (result: T) => number, work: () => Promise<T>) => {
  const startRss = resetPeak();
  const start = process.hrtime.bigint();
  const result = await work();
  const s = Number(process.hrtime.bigint() - start) / 1e9;
  const n = objects(result);
  console.log(`${what}: ${n} objects in ${s.toFixed(2)} s, ${Math.round(n / s)} objects/s, peak RSS ${MiB(kernel('VmHWM'))} (from ${MiB(startRss)})`);
  return result;
};

/**
 * The bundle of the bench's topic from GET /stix/bundle, read as it comes: only its size and hash are kept. fetch asks
 * for gzip, deflate and br (the service picks br) unless `encoding` says otherwise.
 */
async function streamed(graphqlUrl: string, key: string, encoding?: string): Promise<{ objectCount: number; bytes: number; sha256: string }> {
  const headers = { authorization: `Bearer ${key}`, ...(encoding ? { 'accept-encoding': encoding } : {}) };
  const response = await fetch(graphqlUrl.replace(/\/graphql$/, '/stix/bundle?topic=stix-bench'), { headers });
  console.log(`  content-encoding: ${response.headers.get('content-encoding') ?? 'none'}`);
  if (!response.ok || !response.body) throw new Error(`GET /stix/bundle: HTTP ${response.status} ${await response.text()}`);
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { objectCount: Number(response.headers.get('dossier-stix-objects')), bytes, sha256: hash.digest('hex') };
}

/**
 * A client in a process of its own, so that the service's peak is the service's alone: it asks for the export
 * (`graphql`: the stixBundle query; else GET /stix/bundle with that accept-encoding, `fetch` for fetch's own), reads
 * the answer as it comes and prints its size.
 */
const CLIENT = `
const [url, key, how] = process.argv.slice(1);
(async () => {
  const graphql = how === 'graphql';
  const headers = { authorization: 'Bearer ' + key, ...(graphql ? { 'content-type': 'application/json' } : {}), ...(graphql || how === 'fetch' ? {} : { 'accept-encoding': how }) };
  const response = await (graphql
    ? fetch(url, { method: 'POST', headers, body: JSON.stringify({ query: ${JSON.stringify(EXPORT)} }) })
    : fetch(url.replace(/\\/graphql$/, '/stix/bundle?topic=stix-bench'), { headers }));
  let bytes = 0;
  let objects = Number(response.headers.get('dossier-stix-objects'));
  if (graphql) {
    const text = await response.text();
    bytes = text.length;
    objects = JSON.parse(text).data.stixBundle.objectCount;
  } else for await (const chunk of response.body) bytes += chunk.length;
  console.log(JSON.stringify({ status: response.status, bytes, objects, encoding: response.headers.get('content-encoding') }));
})();`;

interface ClientAnswer {
  status: number;
  bytes: number;
  objects: number;
  encoding: string | null;
}

const otherProcess = (url: string, key: string, how: string) =>
  new Promise<ClientAnswer>((resolve, reject) =>
    execFile(process.execPath, ['-e', CLIENT, url, key, how], (error, stdout) =>
      error ? reject(new Error(error.message)) : resolve(JSON.parse(stdout) as ClientAnswer),
    ),
  );

/** One export alone, in a process that serves nothing else: the service on the bench's database. */
async function exportAlone(how: string): Promise<void> {
  const config = loadConfig({ ...process.env, SCHEDULER: 'false', ...ENV });
  const database = await openDatabase(config);
  const { app, attach, stop } = await createApp(config, await buildDossierSchema(), database.dataSource);
  const server = app.listen(0, '127.0.0.1');
  attach(server);
  await new Promise((resolve) => server.once('listening', resolve));
  startedRss = kernel('VmRSS');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  const key = process.env.BENCH_STIX_KEY!;
  try {
    if (how === 'build') {
      // The floor of any export: what building the bundle's texts costs, nothing sent.
      const viewer = await identityOfKey(database.dataSource.manager, key);
      await measured(
        'building the bundle alone (no answer sent), in a fresh process',
        (r) => r.objectCount,
        () => exportStixBundleParts(database.dataSource, viewer!, { topics: ['stix-bench'] }),
      );
    } else {
      // The client in its own process: this process is the service alone, as in a deployment.
      const asked = how === 'graphql' ? 'stixBundle' : `GET /stix/bundle, accept-encoding ${how}`;
      const answer = await measured(
        `export (${asked}) alone, client apart, in a fresh process`,
        (r) => r.objects,
        () => otherProcess(url, key, how),
      );
      console.log(
        `  answer: HTTP ${answer.status}, ${(answer.bytes / 1024 / 1024).toFixed(1)} MiB once decoded, content-encoding ${answer.encoding ?? 'none'}`,
      );
    }
    console.log(`  that process: peak RSS ${MiB(peakOfProcess())} from its start (idle after start: ${MiB(startedRss)})`);
  } finally {
    server.close();
    await stop();
    await database.close();
  }
}

if (process.env.BENCH_STIX_ALONE) {
  exportAlone(process.env.BENCH_STIX_ALONE).catch((error) => {
    console.error(error);
    process.exit(1);
  });
} else {
  benchmark({ EMBEDDED_PG_PORT: process.env.EMBEDDED_PG_PORT ?? '54351', ...ENV }, async (dataSource, url, config) => {
    const { key } = await createKey(dataSource.manager, { name: 'bench-stix', role: Role.ANALYST, clearance: Marking.AMBER, organisation: 'bench' });
    const ask = (query: string, variables: Record<string, unknown> = {}) => post<Answer>(url, key, query, variables);
    const bundle = generated(OBJECTS);
    console.log(`bundle: ${OBJECTS} objects, ${(bundle.length / 1024 / 1024).toFixed(1)} MiB of JSON`);
    const first = await measured(
      'import (all created)',
      () => OBJECTS,
      () => ask(IMPORT, { document: bundle }),
    );
    if (!first.importData.applied) throw new Error(JSON.stringify(first.importData.problems.slice(0, 5)));
    console.log(`  counts ${JSON.stringify(Object.fromEntries(first.importData.counts.map((c) => [c.table, c.created])))}`);
    await measured(
      'the same bundle again (nothing written)',
      () => OBJECTS,
      () => ask(IMPORT, { document: bundle }),
    );
    if (options['import-only']) return;
    const exported = await measured(
      'export of the topic',
      (r) => r.stixBundle.objectCount,
      () => ask(EXPORT),
    );
    console.log(`  exported bundle: ${(exported.stixBundle.json.length / 1024 / 1024).toFixed(1)} MiB of JSON`);
    const stream = await measured(
      'streamed export of the topic (GET /stix/bundle)',
      (r) => r.objectCount,
      () => streamed(url, key),
    );
    const same = stream.sha256 === createHash('sha256').update(exported.stixBundle.json).digest('hex');
    console.log(`  streamed bundle: ${(stream.bytes / 1024 / 1024).toFixed(1)} MiB, ${same ? 'the same bytes as stixBundle' : 'NOT the bytes of stixBundle'}`);
    if (!same) throw new Error('GET /stix/bundle streamed other bytes than stixBundle answered');
    console.log(`whole bench process (service, client, generated bundle; every step): peak RSS ${MiB(peakOfProcess())}`);
    for (const how of options.alone.split(',')) {
      if (!ALONE.includes(how)) throw new Error(`--alone: one of ${ALONE.join(', ')}, not "${how}"`);
      const alone = spawnSync(process.execPath, ['-r', require.resolve('./register.js'), __filename], {
        env: { ...process.env, BENCH_STIX_ALONE: how, BENCH_STIX_KEY: key, DATABASE_URL: databaseUrl(config) },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      if (alone.status !== 0) throw new Error(`the ${how} export in a fresh process failed (${alone.status ?? alone.signal})`);
    }
  });
}
