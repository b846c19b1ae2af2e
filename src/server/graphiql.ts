import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { RequestHandler } from 'express';
import type { renderGraphiQL as RenderGraphiQL } from '@graphql-yoga/render-graphiql';

/**
 * The order of the GraphiQL tabs: the whole brief first (the README's walkthrough runs it), then its parts. An
 * operation not named here gets a tab after these, in file name order.
 */
const TAB_ORDER = ['dprk-brief', 'dprk-bottom-line', 'actor-profile', 'well-sourced-timeline', 'single-sourced'];

const rank = (name: string) => {
  const index = TAB_ORDER.indexOf(name);
  return index === -1 ? TAB_ORDER.length : index;
};

/** The GraphiQL page, self-contained (works offline), with every example operation open in its own tab. */
export function graphiqlPage(operationsDir: string): string {
  // Required here, not on import: its bundle is 9 MB of JavaScript, a second of every start that never shows the page.
  const { renderGraphiQL } = require('@graphql-yoga/render-graphiql') as { renderGraphiQL: typeof RenderGraphiQL };
  const tabs = readdirSync(operationsDir)
    .filter((f) => f.endsWith('.graphql'))
    .map((f) => f.replace(/\.graphql$/, ''))
    .sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => {
      const variables = join(operationsDir, `${name}.variables.json`);
      return {
        query: readFileSync(join(operationsDir, `${name}.graphql`), 'utf8'),
        variables: existsSync(variables) ? readFileSync(variables, 'utf8') : undefined,
      };
    });
  // Subscriptions over graphql-ws on the same path (src/server/websocket.ts); the page bundles its client, offline too.
  return renderGraphiQL({ title: 'Dossier', endpoint: '/graphql', subscriptionsProtocol: 'WS', defaultTabs: tabs, defaultQuery: tabs[0]?.query });
}

interface Encoded {
  body: Buffer;
  etag: string;
}

type Encodings = Record<'br' | 'gzip' | 'identity', Encoded>;

/**
 * The page compressed once, on the first visit, off the event loop: 2.4 MB with gzip, 1.9 MB with br. At these
 * levels its 9 MB take 0.3 s each (br's best, quality 9, would take 1.9 s for 5 % less), after half a second of
 * rendering. Each encoding has its own ETag, so a cache never mixes them.
 */
async function encodePage(operationsDir: string): Promise<Encodings> {
  const page = Buffer.from(graphiqlPage(operationsDir));
  const hash = createHash('sha256').update(page).digest('base64url').slice(0, 22);
  const [br, gz] = await Promise.all([
    promisify(brotliCompress)(page, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 5,
        [constants.BROTLI_PARAM_SIZE_HINT]: page.length,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      },
    }),
    promisify(gzip)(page, { level: 6 }),
  ]);
  return {
    br: { body: br, etag: `"${hash}-br"` },
    gzip: { body: gz, etag: `"${hash}-gzip"` },
    identity: { body: page, etag: `"${hash}"` },
  };
}

/**
 * GET / : the GraphiQL page, br whenever the client accepts it, else gzip when it does. Its URL cannot carry its hash (it is the entry
 * point), so it is cached with revalidation: `no-cache` and an ETag, a revisit costs a 304 without a body.
 */
export function graphiqlRoute(operationsDir: string): RequestHandler {
  let encodings: Promise<Encodings> | undefined;
  return async (req, res, next) => {
    try {
      encodings ??= encodePage(operationsDir);
      const page = await encodings;
      const encoding = req.acceptsEncodings('br') ? 'br' : req.acceptsEncodings('gzip') ? 'gzip' : 'identity';
      const { body, etag } = page[encoding];
      res.vary('Accept-Encoding');
      res.setHeader('Cache-Control', 'no-cache');
      res.setHeader('ETag', etag);
      if (encoding !== 'identity') res.setHeader('Content-Encoding', encoding);
      res.type('html').send(body);
    } catch (error) {
      encodings = undefined;
      next(error);
    }
  };
}
