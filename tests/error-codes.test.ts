import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode } from '../src/common/errors';
import { queryHash } from '../src/server/persisted-queries';
import { startTestServer, TestServer } from './support/server';

// ErrorCode is the list of codes clients are told about (and the README's): every code the service answers with must
// be on it, and nothing else.
const ROOT = join(__dirname, '..');
const CODES = Object.values(ErrorCode) as string[];

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );

/** Every code the service's source writes into an error (`code: 'X'`), or names (`ErrorCode.X`). */
function codesInSource(): Set<string> {
  const found = new Set<string>();
  for (const file of sourceFiles(join(ROOT, 'src'))) {
    for (const [, , literal, member] of readFileSync(file, 'utf8').matchAll(/\bcode: *(['"`])([A-Z][A-Z0-9_]*)\1|\bErrorCode\.([A-Z][A-Z0-9_]*)/g)) {
      found.add(literal ?? member);
    }
  }
  return found;
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

async function codeOf(body: Record<string, unknown>): Promise<string | undefined> {
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.key}` },
    body: JSON.stringify(body),
  });
  return ((await res.json()) as { errors?: Array<{ extensions?: { code?: string } }> }).errors?.[0]?.extensions?.code;
}

test('every code the service answers with is in ErrorCode, and ErrorCode holds no other', async () => {
  const written = codesInSource();
  expect([...written].filter((code) => !CODES.includes(code))).toEqual([]);
  // The codes Apollo Server gives on its own, provoked over HTTP.
  const fromApollo = [
    await codeOf({ query: '{ topics {' }),
    await codeOf({ query: '{ noSuchField }' }),
    await codeOf({ query: 'query A { topics { totalCount } } query B { topics { totalCount } }' }),
    await codeOf({ extensions: { persistedQuery: { version: 1, sha256Hash: queryHash('{ __typename }') } } }),
  ];
  expect(fromApollo).toEqual(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'OPERATION_RESOLUTION_FAILURE', 'PERSISTED_QUERY_NOT_FOUND']);
  expect(fromApollo.filter((code) => !CODES.includes(code!))).toEqual([]);
  // A code on the list that nothing gives would be a promise to clients that the service does not keep.
  expect(CODES.filter((code) => !written.has(code) && !fromApollo.includes(code)).sort()).toEqual([]);
});

test('the README lists every code of ErrorCode', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const bullet = readme.match(/^- Errors carry a code.*?(?=\n- |\n\n)/ms);
  expect(bullet).not.toBeNull();
  const listed = [...bullet![0].matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map(([, code]) => code);
  expect([...new Set(listed)].sort()).toEqual([...CODES].sort());
});
