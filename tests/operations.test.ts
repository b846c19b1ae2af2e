import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataOf, startTestServer, TestServer } from './support/server';

// Every example operation in fixtures/operations runs against the seeded data and must give the result stored
// beside it. After a deliberate change, UPDATE_EXPECTED=1 rewrites the expected files: review their diff.
const dir = join(__dirname, '..', 'fixtures', 'operations');
const operations = readdirSync(dir).filter((f) => f.endsWith('.graphql'));

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

test('there are example operations', () => {
  expect(operations.length).toBeGreaterThanOrEqual(3);
});

test.each(operations)('%s gives its stored result', async (file) => {
  const query = readFileSync(join(dir, file), 'utf8');
  const variablesFile = join(dir, file.replace(/\.graphql$/, '.variables.json'));
  const variables = existsSync(variablesFile) ? JSON.parse(readFileSync(variablesFile, 'utf8')) : undefined;
  const data = dataOf(await server.gql(query, variables));
  const expectedFile = join(dir, file.replace(/\.graphql$/, '.expected.json'));
  if (process.env.UPDATE_EXPECTED) writeFileSync(expectedFile, `${JSON.stringify(data, null, 2)}\n`);
  expect(data).toEqual(JSON.parse(readFileSync(expectedFile, 'utf8')));
});
