import { join } from 'node:path';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import express from 'express';
import type { GraphQLFieldResolver, GraphQLSchema } from 'graphql';
import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import { authenticate } from '../modules/identity/authenticate';
import { readModels } from '../read/models';
import { Reader } from '../read/reader';
import type { Context } from './context';
import { formatError, jsonBodyErrors } from './errors';
import { graphiqlPage } from './graphiql';
import { legacyJsonStatus } from './legacy-json-status';

const OPERATIONS_DIR = join(__dirname, '..', '..', 'fixtures', 'operations');

/** Every object below a root field comes whole from the SQL compiler, keyed by response key. */
const readResponseKey: GraphQLFieldResolver<Record<string, unknown>, Context> = (source, _args, _ctx, info) =>
  source[info.path.key as string];

export interface App {
  app: express.Express;
  stop(): Promise<void>;
}

export async function createApp(config: Config, schema: GraphQLSchema, dataSource: DataSource): Promise<App> {
  const production = config.NODE_ENV === 'production';
  const apollo = new ApolloServer<Context>({
    schema,
    fieldResolver: readResponseKey,
    formatError: formatError(production),
    includeStacktraceInErrorResponses: !production,
    introspection: true,
    plugins: [ApolloServerPluginLandingPageDisabled(), legacyJsonStatus],
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  const page = graphiqlPage(OPERATIONS_DIR);
  app.get('/', (_req, res) => {
    res.type('html').send(page);
  });
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await dataSource.query('SELECT 1');
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'database unreachable' });
    }
  });
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const viewer = await authenticate(dataSource, req.headers.authorization, { anonymous: config.ANONYMOUS });
        return { viewer, reader: new Reader(dataSource, viewer, config.MAX_PAGE_SIZE, readModels), dataSource };
      },
    }),
  );
  app.use(jsonBodyErrors);
  return { app, stop: () => apollo.stop() };
}
