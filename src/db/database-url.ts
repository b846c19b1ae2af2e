import type { Config } from '../config';

export const EMBEDDED_USER = 'postgres';
export const EMBEDDED_PASSWORD = 'dossier';
export const EMBEDDED_DATABASE = 'dossier';

/** DATABASE_URL when set, else where the embedded server listens. */
export function databaseUrl(config: Pick<Config, 'DATABASE_URL' | 'EMBEDDED_PG_PORT'>): string {
  return config.DATABASE_URL ?? `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${config.EMBEDDED_PG_PORT}/${EMBEDDED_DATABASE}`;
}

/** A database URL fit for logs: the password, if any, replaced. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    // The driver also takes secrets as query parameters.
    for (const name of ['password', 'sslpassword', 'sslkey']) if (parsed.searchParams.has(name)) parsed.searchParams.set(name, '***');
    return parsed.toString().replace(/%2A%2A%2A/g, '***');
  } catch {
    // Unparsed, the password may hold '@' or '/': everything up to the last '@' is masked.
    return url.replace(/(\/\/[^:/?#@]*):.*@/, '$1:***@').replace(/([?&](ssl)?password=)[^&]*/g, '$1***');
  }
}
