import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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
  return renderGraphiQL({ title: 'Dossier', endpoint: '/graphql', defaultTabs: tabs, defaultQuery: tabs[0]?.query });
}
