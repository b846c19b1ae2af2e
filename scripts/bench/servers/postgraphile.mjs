// PostGraphile v5 (Grafast), amber preset, default options, over Dossier's own tables (schema public of
// perf_dossier_<DB>), grafserv on node:http, pool max POOL_MAX.
import { createServer } from 'node:http';
import { postgraphile } from 'postgraphile';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { jsonPgSmartTags } from 'postgraphile/utils';
import { DB, POOL_MAX, PORT, CONNECTION_STRING } from './common.mjs';

/** @type {GraphileConfig.Preset} */
const preset = {
  extends: [PostGraphileAmberPreset],
  // The view statement_contribution and the table statement_contributions inflect to the same type names: the view
  // (which no benchmark query reads) is left out of the schema.
  plugins: [jsonPgSmartTags({ version: 1, config: { class: { statement_contribution: { tags: { behavior: '-*' } } } } })],
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
