// PostGraphile v5 (Grafast), amber preset, default options, over Dossier's item tables (schema public of
// perf_dossier_<DB>), grafserv on node:http, pool max POOL_MAX. Dossier's bookkeeping tables and views (rollups,
// search entries, history) are left out of PostGraphile's schema: the benchmark reads none of them, and some of their
// names inflect to the same GraphQL type (statement_contribution, statement_contributions), which stops its start.
import { createServer } from 'node:http';
import { postgraphile } from 'postgraphile';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { makePgService } from 'postgraphile/adaptors/pg';
import { pgSmartTags } from 'postgraphile/utils';
import { grafserv } from 'postgraphile/grafserv/node';
import { DB, POOL_MAX, PORT, CONNECTION_STRING } from './common.mjs';

/** The tables the benchmark's brief reads, and what links them. */
const ITEM_TABLES = new Set(['topic', 'topic_actor', 'actor', 'capability', 'challenge', 'implication', 'event', 'citation', 'source']);
const ItemTablesOnly = pgSmartTags([{ kind: 'class', match: (table) => !ITEM_TABLES.has(table.relname), tags: { behavior: '-*' } }]);

/** @type {GraphileConfig.Preset} */
const preset = {
  extends: [PostGraphileAmberPreset],
  plugins: [ItemTablesOnly],
  pgServices: [
    makePgService({
      connectionString: CONNECTION_STRING,
      schemas: ['public'],
      poolConfig: { max: POOL_MAX },
    }),
  ],
  grafserv: { port: PORT, graphiql: false },
};

const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
const server = createServer();
server.once('listening', () => {
  server.on('error', (e) => console.error(e));
  console.log(`postgraphile(perf_dossier_${DB}) listening on :${PORT} pid ${process.pid}`);
});
serv.addTo(server).catch((e) => {
  console.error(e);
  process.exit(1);
});
server.listen(PORT);
