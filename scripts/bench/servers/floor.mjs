// The floor over HTTP: node:http + pg, sql/floor.sql as one named prepared statement; Postgres builds the whole
// response document as JSON text and Node passes it through untouched. Accepts any POST body with
// {"variables":{"slug":"..."}} (the GraphQL document is ignored) so autocannon can hit it like the others.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { DB, PORT, POOL_MAX, makePool } from './common.mjs';

const pool = makePool();
const SQL = readFileSync(new URL('../sql/floor.sql', import.meta.url), 'utf8');

createServer((req, res) => {
  let raw = '';
  req.on('data', (d) => (raw += d));
  req.on('end', async () => {
    try {
      const slug = JSON.parse(raw || '{}').variables?.slug ?? 'perf-topic-0001';
      const { rows } = await pool.query({ name: 'brief', text: SQL, values: [slug] });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(rows[0]?.body ?? '{"data":{"topic":null}}');
    } catch (e) {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ message: String(e.message) }] }));
    }
  });
}).listen(PORT, '127.0.0.1', () => console.log(`floor-http(perf_dossier_${DB}, pool ${POOL_MAX}) on :${PORT} pid ${process.pid}`));
