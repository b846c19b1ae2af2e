import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, type GraphQLSchema } from 'graphql';
import { identityOfKey } from '../src/modules/identity/api-key.service';
import { compileOperation } from '../src/read/operation-sql';
import type { Statement } from '../src/read/reader';
import { buildDossierSchema } from '../src/server/schema';
import { OPERATIONS_VIEWER, renderOperationSql, TEST_PAGE_SIZE } from './support/operation-sql';
import { dataOf, startTestServer, TestServer } from './support/server';

// Every example operation in fixtures/operations runs against the seeded data and must give the result stored
// beside it, and compile to the SQL stored beside it (so a change to the compiler shows up as an SQL diff).
// After a deliberate change, UPDATE_EXPECTED=1 rewrites the expected files: review their diff.
const dir = join(__dirname, '..', 'fixtures', 'operations');
const operations = readdirSync(dir).filter((f) => f.endsWith('.graphql'));

const read = (file: string) => {
  const query = readFileSync(join(dir, file), 'utf8');
  const variablesFile = file.replace(/\.graphql$/, '.variables.json');
  if (!existsSync(join(dir, variablesFile))) return { query, variables: undefined, variablesFile: undefined };
  return { query, variables: JSON.parse(readFileSync(join(dir, variablesFile), 'utf8')), variablesFile };
};

let server: TestServer;
let schema: GraphQLSchema;
beforeAll(async () => {
  // The statements each operation sends are watched: a repeated one would be answered by the response cache instead,
  // and the compiled fast path sends their text-mode twins (fast-path.test compares those).
  [server, schema] = await Promise.all([startTestServer({ RESPONSE_CACHE_BYTES: '0', FAST_PATH: 'off' }), buildDossierSchema()]);
});
afterAll(() => server.close());

test('there are example operations', () => {
  expect(operations.length).toBeGreaterThanOrEqual(3);
});

test.each(operations)('%s gives its stored result', async (file) => {
  const { query, variables } = read(file);
  const data = dataOf(await server.gql(query, variables));
  const expectedFile = join(dir, file.replace(/\.graphql$/, '.expected.json'));
  if (process.env.UPDATE_EXPECTED) writeFileSync(expectedFile, `${JSON.stringify(data, null, 2)}\n`);
  expect(data).toEqual(JSON.parse(readFileSync(expectedFile, 'utf8')));
});

test.each(operations)('%s compiles to its stored SQL', async (file) => {
  const { query, variables, variablesFile } = read(file);
  const fields = await compileOperation(schema, parse(query), { variables, viewer: OPERATIONS_VIEWER, pageSize: TEST_PAGE_SIZE });
  const sql = renderOperationSql(file, fields, variablesFile);
  const expectedFile = join(dir, file.replace(/\.graphql$/, '.expected.sql'));
  if (process.env.UPDATE_EXPECTED) writeFileSync(expectedFile, sql);
  // A string comparison, so a failure shows the lines that changed.
  expect(sql).toBe(readFileSync(expectedFile, 'utf8'));
});

// The stored SQL is what the service sends: the statements a request runs are exactly those compiled offline.
test.each(operations)('%s sends the SQL it compiles to', async (file) => {
  const { query, variables } = read(file);
  // The key's principal is made per run; nothing else of the identity may differ from the one compiled for.
  const identity = await identityOfKey(server.dataSource.manager, server.key);
  expect({ ...identity, principal: null }).toEqual({ ...OPERATIONS_VIEWER, principal: null });
  const compiled = await compileOperation(schema, parse(query), { variables, viewer: OPERATIONS_VIEWER, pageSize: TEST_PAGE_SIZE });
  const sent: Statement[] = [];
  const original = server.dataSource.query.bind(server.dataSource);
  const spy = jest.spyOn(server.dataSource, 'query').mockImplementation((text, params, runner) => {
    sent.push({ text, params: (params as unknown[] | undefined) ?? [] });
    return original(text, params, runner);
  });
  try {
    dataOf(await server.gql(query, variables));
  } finally {
    spy.mockRestore();
  }
  // Root fields run concurrently: compared in a fixed order.
  const inOrder = (statements: Statement[]) => [...statements].sort((a, b) => a.text.localeCompare(b.text));
  expect(inOrder(sent)).toEqual(inOrder(compiled.flatMap((f) => (f.statement ? [f.statement] : []))));
});
