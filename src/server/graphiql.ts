import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { renderGraphiQL as RenderGraphiQL } from '@graphql-yoga/render-graphiql';

/** The GraphiQL page, self-contained (works offline), with every example operation open in its own tab. */
export function graphiqlPage(operationsDir: string): string {
  // Required here, not on import: its bundle is 9 MB of JavaScript, a second of every start that never shows the page.
  const { renderGraphiQL } = require('@graphql-yoga/render-graphiql') as { renderGraphiQL: typeof RenderGraphiQL };
  const tabs = readdirSync(operationsDir)
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((f) => {
      const variables = join(operationsDir, f.replace(/\.graphql$/, '.variables.json'));
      return {
        query: readFileSync(join(operationsDir, f), 'utf8'),
        variables: existsSync(variables) ? readFileSync(variables, 'utf8') : undefined,
      };
    });
  return renderGraphiQL({ title: 'Dossier', endpoint: '/graphql', defaultTabs: tabs, defaultQuery: tabs[0]?.query });
}
