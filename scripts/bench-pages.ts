// Benchmark: `capabilities(first: 50)` over a generated table of many capabilities, for each offered ordering and
// direction: the first page and a page deep in the list, without and with totalCount, and with totalCountCapped.
// Prints figures; it asserts nothing. Uses a throwaway embedded PostgreSQL, or DATABASE_URL when set; a database that
// holds the generated rows already is used as it is, so a large one is generated once:
//   createdb -h 127.0.0.1 -U postgres dossier_pages_1m
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/dossier_pages_1m npm run bench:pages -- --size 1000000
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { DataSource } from 'typeorm';
import { Marking } from '../src/common/marking';
import { createKey } from '../src/modules/identity/api-key.service';
import { Role } from '../src/modules/identity/role';
import { compile, sql } from '../src/read/fragment';
import { readModels } from '../src/registry/registry';
import { benchmark, percentile } from './bench-support';

const options = parseArgs({
  options: { size: { type: 'string', default: '100000' }, runs: { type: 'string', default: '20' } },
}).values;
const SIZE = Number(options.size);
const RUNS = Number(options.runs);
const TOPIC = `generated-pages-${SIZE}`;

/**
 * SIZE capabilities of 1,000 actors in topic TOPIC: every category of the vocabulary, creation times spread over
 * three years, markings mostly CLEAR and GREEN (a tenth AMBER, which a GREEN reader does not see), 1 % retracted.
 * Triggers are off while they are inserted (history, search vectors, rollup): they do not bear on reading pages.
 */
async function generate(dataSource: DataSource) {
  await dataSource.transaction(async (m) => {
    await m.query(`SET LOCAL session_replication_role = replica`);
    await m.query(
      `WITH t AS (INSERT INTO topic (id, slug, title, summary) VALUES (gen_random_uuid(), $1, $1, 'generated') RETURNING id),
       a AS (INSERT INTO actor (id, name, kind) SELECT gen_random_uuid(), $1 || ' actor ' || n, 'STATE' FROM generate_series(1, 1000) n RETURNING id),
       actors AS (SELECT id, row_number() OVER () - 1 AS n FROM a),
       terms AS (SELECT term, row_number() OVER (ORDER BY position) - 1 AS n, count(*) OVER () AS of FROM vocabulary_term WHERE vocabulary = 'capability-category')
       INSERT INTO capability (id, topic_id, actor_id, category, statement, marking, created_at, updated_at, retracted_at)
       SELECT gen_random_uuid(), t.id, actors.id, terms.term, 'can do ' || g,
         (CASE WHEN g % 10 = 0 THEN 'AMBER' WHEN g % 2 = 0 THEN 'GREEN' ELSE 'CLEAR' END)::tlp_marking,
         now() - (random() * interval '1095 days'), now() - (random() * interval '30 days'),
         CASE WHEN g % 100 = 7 THEN now() END
       FROM generate_series(1, $2) g CROSS JOIN t
       JOIN actors ON actors.n = g % 1000
       JOIN terms ON terms.n = (g / 7) % terms.of`,
      [TOPIC, SIZE],
    );
  });
  await dataSource.query('ANALYZE');
}

/** The cursor of the row at `offset` in the ordering, made as the service makes cursors. */
async function cursorAt(dataSource: DataSource, field: string, direction: 'ASC' | 'DESC', offset: number): Promise<string> {
  const key = readModels.get('Capability')!.orderFields[field].sql(sql.identifier('c'));
  const dir = direction === 'ASC' ? sql`ASC` : sql`DESC`;
  const { text, values } = compile(
    sql`SELECT translate(encode(convert_to(json_build_array(${sql.key(field)}, ${key}, c.id)::text, 'UTF8'), 'base64'), E'\\n', '') AS cursor
      FROM capability c WHERE c.retracted_at IS NULL AND c.marking <= 'GREEN' ORDER BY ${key} ${dir}, c.id ${dir} OFFSET ${sql.int(offset)} LIMIT 1`,
  );
  const [row] = await dataSource.query<Array<{ cursor: string }>>(text, values);
  return row.cursor;
}

async function once(work: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** p50 and p95 of RUNS runs after a warm-up; a case slower than 2 s is run once, and its runs stop after 10 s. */
async function timed(work: () => Promise<void>): Promise<string> {
  const first = await once(work);
  const times = first > 2000 ? [first] : [];
  const started = Date.now();
  while (times.length === 0 || (times.length < RUNS && first <= 2000 && (times.length < 3 || Date.now() - started < 10_000))) times.push(await once(work));
  const s = times.sort((a, b) => a - b);
  return `p50 ${percentile(s, 50).toFixed(1).padStart(8)} ms  p95 ${percentile(s, 95).toFixed(1).padStart(8)} ms (${s.length} runs)`;
}

benchmark({ EMBEDDED_PG_PORT: '54345', STATEMENT_TIMEOUT_MS: '1800000', RATE_LIMIT_POINTS: '100000000' }, async (dataSource, url) => {
  const started = Date.now();
  const [existing] = await dataSource.query<Array<{ id: string }>>(`SELECT id FROM topic WHERE slug = $1`, [TOPIC]);
  if (!existing) await generate(dataSource);
  const [{ n }] = await dataSource.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM capability`);
  const { key } = await createKey(dataSource.manager, {
    name: `bench-pages-${process.pid}`,
    role: Role.ADMIN,
    clearance: Marking.GREEN,
    organisation: 'bench-org',
  });
  const made = existing ? 'generated before' : `made in ${((Date.now() - started) / 1000).toFixed(1)} s`;
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  console.log(`${n} capabilities (${made}); GREEN reader over HTTP; up to ${RUNS} runs each; load average ${load}`);

  const ask = async (query: string, variables: Record<string, unknown>) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: { capabilities: { nodes: unknown[] } }; errors?: unknown[] };
    if (body.errors || body.data?.capabilities.nodes.length !== 50) throw new Error(`unexpected answer: ${JSON.stringify(body).slice(0, 500)}`);
  };
  const counts: Array<[string, string]> = [
    ['', 'page'],
    ['totalCount', 'page + totalCount'],
    ['totalCountCapped { count exact }', 'page + totalCountCapped'],
  ];
  // Only where the schema has it.
  const fields = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query: '{ __type(name: "CapabilityConnection") { fields { name } } }' }),
  }).then(async (res) => ((await res.json()) as { data: { __type: { fields: Array<{ name: string }> } } }).data.__type.fields.map((f) => f.name));
  if (!fields.includes('totalCountCapped')) counts.pop();
  for (const field of Object.keys(readModels.get('Capability')!.orderFields)) {
    for (const direction of ['ASC', 'DESC'] as const) {
      const deep = await cursorAt(dataSource, field, direction, Math.floor(n / 2));
      for (const [count, label] of counts) {
        const query = `query ($order: CapabilityOrder, $after: String) {
          capabilities(first: 50, orderBy: $order, after: $after) { nodes { id category statement } pageInfo { hasNextPage endCursor } ${count} } }`;
        const order = { field, direction };
        console.log(`${`${field} ${direction}`.padEnd(15)} first page ${label.padEnd(24)} ${await timed(() => ask(query, { order }))}`);
        console.log(`${`${field} ${direction}`.padEnd(15)} deep page  ${label.padEnd(24)} ${await timed(() => ask(query, { order, after: deep }))}`);
      }
    }
  }
});
