import { ConfigError, loadConfig } from '../src/config';
import { redactedUrl } from '../src/db/database-url';

test('defaults give port 4000 and the embedded database', () => {
  const config = loadConfig({});
  expect(config.PORT).toBe(4000);
  expect(config.DATABASE_URL).toBeUndefined();
});

test.each([
  [{ PORT: 'four thousand' }, 'PORT'],
  [{ PORT: '70000' }, 'PORT'],
  [{ DATABASE_URL: 'mysql://localhost/db' }, 'DATABASE_URL'],
  [{ ANONYMOUS: 'sometimes' }, 'ANONYMOUS'],
  [{ SEED: 'maybe' }, 'SEED'],
  [{ DATABASE_QUERY_TIMEOUT_MS: '5000', STATEMENT_TIMEOUT_MS: '10000' }, 'DATABASE_QUERY_TIMEOUT_MS'],
  [{ DATABASE_WAIT_S: 'forever' }, 'DATABASE_WAIT_S'],
  [{ DATABASE_CONNECT_TIMEOUT_MS: '0' }, 'DATABASE_CONNECT_TIMEOUT_MS'],
  [{ CORS_ORIGINS: '*', ANONYMOUS: 'off' }, 'CORS_ORIGINS'],
  [{ CORS_ORIGINS: '*, https://dash.example.org' }, 'CORS_ORIGINS'],
  [{ CORS_ORIGINS: 'https://dash.example.org/' }, 'CORS_ORIGINS'],
  [{ CORS_ORIGINS: 'https://dash.example.org/app' }, 'CORS_ORIGINS'],
  [{ CORS_ORIGINS: 'dash.example.org' }, 'CORS_ORIGINS'],
  [{ CORS_ORIGINS: 'ftp://dash.example.org' }, 'CORS_ORIGINS'],
  [{ CORS_ORIGINS: 'https://dash.example.org,,http://localhost:5173' }, 'CORS_ORIGINS'],
])('a wrong value stops the start with a message naming the variable: %j', (env, name) => {
  expect(() => loadConfig(env)).toThrow(ConfigError);
  expect(() => loadConfig(env)).toThrow(new RegExp(`\\b${name}\\b`));
});

test('CORS_ORIGINS is a list of origins exactly as browsers send them, or * for anonymous reads only', () => {
  expect(loadConfig({}).CORS_ORIGINS).toBeUndefined();
  expect(loadConfig({ CORS_ORIGINS: ' ' }).CORS_ORIGINS).toBeUndefined();
  expect(loadConfig({ CORS_ORIGINS: 'https://dash.example.org, http://localhost:5173' }).CORS_ORIGINS).toEqual([
    'https://dash.example.org',
    'http://localhost:5173',
  ]);
  expect(loadConfig({ CORS_ORIGINS: '*' }).CORS_ORIGINS).toEqual(['*']);
  // A default port or capitals are not what a browser sends: the message says what to write.
  expect(() => loadConfig({ CORS_ORIGINS: 'https://Dash.example.org:443' })).toThrow(/write https:\/\/dash\.example\.org$/m);
  expect(() => loadConfig({ CORS_ORIGINS: '*', ANONYMOUS: 'off' })).toThrow(/ANONYMOUS=read/);
});

test('the client gives up on a query only after the server would have cancelled it', () => {
  expect(loadConfig({}).DATABASE_QUERY_TIMEOUT_MS).toBe(15_000);
  expect(loadConfig({ STATEMENT_TIMEOUT_MS: '2000' }).DATABASE_QUERY_TIMEOUT_MS).toBe(7_000);
  expect(loadConfig({ STATEMENT_TIMEOUT_MS: '2000', DATABASE_QUERY_TIMEOUT_MS: '2500' }).DATABASE_QUERY_TIMEOUT_MS).toBe(2_500);
});

test('database URLs are logged without their secrets, in the authority or in the query', () => {
  expect(redactedUrl('postgres://u:pw@db:5432/dossier')).toBe('postgres://u:***@db:5432/dossier');
  expect(redactedUrl('postgres://u@db/dossier?password=s3cret&sslmode=require')).toBe('postgres://u@db/dossier?password=***&sslmode=require');
  expect(redactedUrl('postgres://u@db/dossier?sslpassword=k3y')).not.toContain('k3y');
});
