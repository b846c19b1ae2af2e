import type { Config } from '../config';

// What kind of service a start is: the settings a person trying it first asks about, said once in the start-up log.

/** Schema introspection, and the GraphiQL page at `/`: on unless set, off by default in production. */
export const introspectionOn = (config: Config) => config.INTROSPECTION ?? config.NODE_ENV !== 'production';
export const graphiqlOn = (config: Config) => config.GRAPHIQL ?? config.NODE_ENV !== 'production';

/** E.g. "development; anonymous reads on, TLP:CLEAR only (ANONYMOUS=read); seed loaded (SEED=true); introspection on; GraphiQL at /". */
export function modeSummary(config: Config): string {
  return [
    config.NODE_ENV,
    config.ANONYMOUS === 'read' ? 'anonymous reads on, TLP:CLEAR only (ANONYMOUS=read)' : 'anonymous requests refused (ANONYMOUS=off)',
    config.SEED ? 'seed loaded (SEED=true)' : 'seed not loaded (SEED=false)',
    `introspection ${introspectionOn(config) ? 'on' : 'off'}`,
    graphiqlOn(config) ? 'GraphiQL at /' : 'GraphiQL off',
  ].join('; ');
}
