// Benchmark: the response cache. The 20-actor brief (a plain query, and the composed `brief()`) at 32 clients, served
// by the service with the cache off and on, each in its own process on the same seeded database. Prints req/s, p50,
// p99 and the ratio; asserts nothing. Uses a throwaway embedded PostgreSQL, or DATABASE_URL when set.
//   npm run bench:cache [-- --clients 32 --seconds 10]
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db/database';
import { loadFixtures } from '../src/modules/fixture/fixture.loader';
import { percentile } from './bench-support';

const args = parseArgs({ options: { clients: { type: 'string', default: '32' }, seconds: { type: 'string', default: '10' } } }).values;
const CLIENTS = Number(args.clients);
const SECONDS = Number(args.seconds);
const ROOT = join(__dirname, '..');
const SLUG = 'bench-20-actors';

// The brief of the comparison with PostGraphile: topic -> actors -> capabilities and challenges, implications and
// events, each with its citations and their sources.
const CITATIONS = 'citations { id verb quote credibility source { id name reliability } }';
const PLAIN = `query Brief($slug: String!) { topic(slug: $slug) { id slug title summary
  actors(first: 100) { nodes { id name kind capabilities(first: 100) { nodes { id category statement ${CITATIONS} } }
    challenges(first: 100) { nodes { id category statement ${CITATIONS} } } } }
  implications(first: 100) { nodes { id statement likelihood confidence ${CITATIONS} } }
  events(first: 100) { nodes { id title occurredOn precision ${CITATIONS} } } } }`;
const COMPOSED = `query Composed($slug: String!) { brief(input: { topics: [$slug] }) { statementCount marking markdown } }`;

/** 20 actors with 4 capabilities and 4 challenges each, 20 implications and 20 events: 200 statements, 2 citations each. */
async function addBriefTopic(dataSource: DataSource) {
  await dataSource.query(
    `WITH t AS (INSERT INTO topic (id, slug, title, summary) VALUES (gen_random_uuid(), $1, 'Twenty actors', 'generated') RETURNING id),
     src AS (INSERT INTO source (id, name, kind, reliability) SELECT gen_random_uuid(), 'bench source ' || n, 'MEDIA_REPORT', 'B' FROM generate_series(1, 2) n RETURNING id),
     a AS (INSERT INTO actor (id, name, kind) SELECT gen_random_uuid(), 'bench actor ' || n, 'STATE' FROM generate_series(1, 20) n RETURNING id),
     ta AS (INSERT INTO topic_actor SELECT t.id, a.id FROM t, a),
     cap AS (INSERT INTO capability (id, topic_id, actor_id, category, statement)
       SELECT gen_random_uuid(), t.id, a.id, 'MANPOWER', 'can ' || n FROM t, a, generate_series(1, 4) n RETURNING id),
     cha AS (INSERT INTO challenge (id, topic_id, actor_id, category, statement)
       SELECT gen_random_uuid(), t.id, a.id, 'LANGUAGE', 'cannot ' || n FROM t, a, generate_series(1, 4) n RETURNING id),
     ev AS (INSERT INTO event (id, topic_id, title, occurred_on, precision) SELECT gen_random_uuid(), t.id, 'happened', '2024-08-01', 'MONTH' FROM t, a RETURNING id),
     im AS (INSERT INTO implication (id, topic_id, statement, likelihood, confidence, scope, horizon)
       SELECT gen_random_uuid(), t.id, 'means', 'LIKELY', 'LOW', 'GLOBAL', 'LONG_TERM' FROM t, a RETURNING id)
     INSERT INTO citation (id, source_id, verb, quote, credibility, capability_id, challenge_id, implication_id, event_id)
       SELECT gen_random_uuid(), src.id, 'REPORTS', 'quoted', 3, x.capability_id, x.challenge_id, x.implication_id, x.event_id FROM src, (
         SELECT id AS capability_id, NULL::uuid AS challenge_id, NULL::uuid AS implication_id, NULL::uuid AS event_id FROM cap
         UNION ALL SELECT NULL, id, NULL, NULL FROM cha
         UNION ALL SELECT NULL, NULL, id, NULL FROM im
         UNION ALL SELECT NULL, NULL, NULL, id FROM ev) x`,
    [SLUG],
  );
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** The service (npm start's command) in its own process on `databaseUrl`; resolves once it says it is ready. */
async function startService(databaseUrl: string, env: Record<string, string>) {
  const port = await freePort();
  const child = spawn(process.execPath, ['-r', './scripts/register.js', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      SEED: 'false',
      SCHEDULER: 'false',
      LOG_LEVEL: 'warn',
      SLOW_OPERATION_MS: '600000',
      RATE_LIMIT_POINTS: '1000000000',
      // The whole 20-actor brief (first: 100 at every level) is priced above the default MAX_COST.
      MAX_COST: '100000000',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the service ended (${code}) before it was ready`)));
    const poll = async () => {
      try {
        await post(port, { query: '{ __typename }' });
        resolve();
      } catch {
        setTimeout(() => void poll(), 200);
      }
    };
    void poll();
  });
  child.removeAllListeners('exit');
  return { port, stop: () => new Promise((resolve) => child.once('exit', resolve).kill('SIGTERM')) };
}

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

function post(port: number, body: object): Promise<{ status: number; cache: string | undefined; bytes: number; text: string }> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/graphql',
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          resolve({ status: res.statusCode ?? 0, cache: res.headers['dossier-cache'] as string | undefined, bytes: text.length, text });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  hits: number;
  requests: number;
  bytes: number;
}

/** `clients` loops sending `body` back to back for `seconds`, after a short warm-up. */
async function load(port: number, body: object, clients: number, seconds: number): Promise<Figures> {
  const first = await post(port, body);
  if (first.status !== 200 || !first.text.startsWith('{"data"')) throw new Error(`status ${first.status}: ${first.text.slice(0, 300)}`);
  const run = async (ms: number, keep: boolean) => {
    const times: number[] = [];
    let hits = 0;
    const end = Date.now() + ms;
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (Date.now() < end) {
          const start = process.hrtime.bigint();
          const answer = await post(port, body);
          if (answer.status !== 200 || answer.bytes !== first.bytes) throw new Error(`status ${answer.status}, ${answer.bytes} bytes`);
          if (keep) times.push(Number(process.hrtime.bigint() - start) / 1e6);
          if (answer.cache === 'hit') hits += 1;
        }
      }),
    );
    return { times, hits };
  };
  await run(2_000, false);
  const { times, hits } = await run(seconds * 1000, true);
  times.sort((a, b) => a - b);
  return { rps: times.length / seconds, p50: percentile(times, 50), p99: percentile(times, 99), hits, requests: times.length, bytes: first.bytes };
}

const line = (label: string, f: Figures) =>
  `${label.padEnd(28)} ${f.rps.toFixed(1).padStart(8)} req/s   p50 ${f.p50.toFixed(1).padStart(7)} ms   p99 ${f.p99.toFixed(1).padStart(7)} ms   ${((100 * f.hits) / f.requests).toFixed(0)} % hits, ${f.bytes} bytes`;

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'dossier-bench-'));
  chmodSync(dir, 0o755); // the embedded server runs as user postgres when we are root
  const config = loadConfig({ ...process.env, EMBEDDED_PG_DIR: join(dir, 'pg'), EMBEDDED_PG_PORT: '54341', SCHEDULER: 'false' });
  const database = await openDatabase(config);
  try {
    await loadFixtures(database.dataSource, join(ROOT, 'fixtures', 'seed'));
    const existing = await database.dataSource.query<unknown[]>(`SELECT 1 FROM topic WHERE slug = $1`, [SLUG]);
    if (existing.length === 0) await addBriefTopic(database.dataSource);
    const url = (database.dataSource.options as { url: string }).url;
    console.log(`${CLIENTS} clients, ${SECONDS} s each, anonymous reader, the service in its own process (NODE_ENV=production)`);
    for (const [name, query] of [
      ['20-actor brief, query', PLAIN],
      ['20-actor brief, brief()', COMPOSED],
    ] as const) {
      const body = { query, variables: { slug: SLUG } };
      const results: Figures[] = [];
      for (const bytes of ['0', String(32 * 1024 * 1024)]) {
        const service = await startService(url, { RESPONSE_CACHE_BYTES: bytes });
        try {
          results.push(await load(service.port, body, CLIENTS, SECONDS));
        } finally {
          await service.stop();
        }
      }
      const [uncached, cached] = results;
      console.log(line(`${name}, uncached`, uncached));
      console.log(line(`${name}, cached`, cached));
      console.log(`${''.padEnd(28)} cached/uncached: ${(cached.rps / uncached.rps).toFixed(1)}x throughput`);
    }
  } finally {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
