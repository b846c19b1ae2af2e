import { ConfigError, loadConfig } from '../src/config';

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
])('a wrong value stops the start with a message naming the variable: %j', (env, name) => {
  expect(() => loadConfig(env)).toThrow(ConfigError);
  expect(() => loadConfig(env)).toThrow(new RegExp(`\\b${name}\\b`));
});
