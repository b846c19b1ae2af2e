import { Marking } from '../src/common/marking';
import { fixtureId } from '../src/modules/fixture/fixture.ids';
import { createKey } from '../src/modules/identity/api-key.service';
import { Role } from '../src/modules/identity/role';
import { toGlobalId } from '../src/read/global-id';
import { dataOf, GraphQLResponse, startTestServer, TestServer } from './support/server';

// A client that lost the answer to a write retries it with the same Idempotency-Key: the write happens once.
let server: TestServer;
const keys: Record<string, string> = {};
const article = toGlobalId('Source', fixtureId('source', 'article'));
const CREATE = `mutation($input: ImplicationInput!) { createImplication(input: $input) { id statement likelihood sourceCount } }`;
const judgment = (statement: string, extra: Record<string, unknown> = {}) => ({
  topic: 'dprk-troops-in-russia',
  statement,
  likelihood: 'UNLIKELY',
  confidence: 'LOW',
  scope: 'CONFLICT',
  horizon: 'SHORT_TERM',
  citations: [{ source: article, verb: 'SPECULATES', quote: 'DPRK forces are being readied for combat roles', credibility: 4 }],
  ...extra,
});

beforeAll(async () => {
  server = await startTestServer();
  for (const name of ['first', 'second']) {
    keys[name] = (await createKey(server.dataSource.manager, { name, role: Role.ANALYST, clearance: Marking.RED, organisation: 'org-i' })).key;
  }
  keys.admin = (await createKey(server.dataSource.manager, { name: 'admin', role: Role.ADMIN, clearance: Marking.RED, organisation: 'org-i' })).key;
});
afterAll(() => server.close());

/** A POST as `as`, with an Idempotency-Key header when one is given. */
async function send(as: string, query: string, variables: Record<string, unknown>, idempotencyKey?: string): Promise<GraphQLResponse> {
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${as}`,
      ...(idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey }),
    },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: await res.json() };
}

const judgmentsSaying = async (statement: string): Promise<number> =>
  (await server.dataSource.query(`SELECT count(*)::int AS n FROM implication WHERE statement = $1`, [statement]))[0].n;

test('a retry with the same key writes nothing and gets the same answer', async () => {
  const input = judgment('Retried once: recorded once.');
  const first = dataOf(await send(keys.first, CREATE, { input }, 'retry-1'));
  const retry = dataOf(await send(keys.first, CREATE, { input }, 'retry-1'));
  expect(retry).toEqual(first);
  expect(first.createImplication).toMatchObject({ statement: 'Retried once: recorded once.', sourceCount: 1 });
  expect(await judgmentsSaying('Retried once: recorded once.')).toBe(1);
  expect(await server.dataSource.query(`SELECT count(*)::int AS n FROM idempotency_key WHERE key = 'retry-1'`)).toEqual([{ n: 1 }]);
});

test('ten concurrent attempts with one key make exactly one write, and all get its answer', async () => {
  const input = judgment('Sent ten times at once: recorded once.');
  const answers = await Promise.all(Array.from({ length: 10 }, () => send(keys.first, CREATE, { input }, 'concurrent-1')));
  const ids = answers.map((a) => dataOf(a).createImplication.id);
  expect(new Set(ids).size).toBe(1);
  expect(await judgmentsSaying('Sent ten times at once: recorded once.')).toBe(1);
});

test('the same key with another input is CONFLICT, and writes nothing', async () => {
  dataOf(await send(keys.first, CREATE, { input: judgment('The first use of a key.') }, 'reused-1'));
  const reused = await send(keys.first, CREATE, { input: judgment('A different request under the same key.') }, 'reused-1');
  expect(reused.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  expect(reused.body.errors?.[0]?.message).toBe('Idempotency-Key reused with a different request');
  expect(await judgmentsSaying('A different request under the same key.')).toBe(0);
  // The same fields in another order are the same request.
  const { citations, ...rest } = judgment('The first use of a key.');
  const reordered = await send(keys.first, CREATE, { input: { citations, ...Object.fromEntries(Object.entries(rest).reverse()) } }, 'reused-1');
  expect(reordered.body.errors).toBeUndefined();
  expect(await judgmentsSaying('The first use of a key.')).toBe(1);
});

test('two identities with the same key write twice, each answered once', async () => {
  const input = judgment('Two writers, one key.');
  const mine = dataOf(await send(keys.first, CREATE, { input }, 'shared-1')).createImplication.id;
  const theirs = dataOf(await send(keys.second, CREATE, { input }, 'shared-1')).createImplication.id;
  expect(theirs).not.toBe(mine);
  expect(dataOf(await send(keys.first, CREATE, { input }, 'shared-1')).createImplication.id).toBe(mine);
  expect(dataOf(await send(keys.second, CREATE, { input }, 'shared-1')).createImplication.id).toBe(theirs);
  expect(await judgmentsSaying('Two writers, one key.')).toBe(2);
});

test('a failed write keeps no key: its retry with fixed input is written, then answered', async () => {
  const failed = await send(keys.first, CREATE, { input: judgment('Fixed on the second try.', { topic: 'no-such-topic' }) }, 'failed-1');
  expect(failed.body.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', argumentName: 'input.topic' });
  const fixed = dataOf(await send(keys.first, CREATE, { input: judgment('Fixed on the second try.') }, 'failed-1')).createImplication;
  expect(dataOf(await send(keys.first, CREATE, { input: judgment('Fixed on the second try.') }, 'failed-1')).createImplication).toEqual(fixed);
  expect(await judgmentsSaying('Fixed on the second try.')).toBe(1);
});

test('a replayed delete answers with the id, not NOT_FOUND', async () => {
  const { id } = dataOf(await send(keys.first, CREATE, { input: judgment('Deleted, and the delete retried.') })).createImplication;
  const DELETE = `mutation($id: ID!) { deleteImplication(id: $id) }`;
  expect(dataOf(await send(keys.admin, DELETE, { id }, 'delete-1')).deleteImplication).toBe(id);
  expect(dataOf(await send(keys.admin, DELETE, { id }, 'delete-1')).deleteImplication).toBe(id);
  expect(await judgmentsSaying('Deleted, and the delete retried.')).toBe(0);
});

test('a replayed update does not undo a later change, and answers with the item as it is now', async () => {
  const { id } = dataOf(await send(keys.first, CREATE, { input: judgment('Changed twice.') })).createImplication;
  const UPDATE = `mutation($id: ID!, $input: ImplicationPatch!) { updateImplication(id: $id, input: $input) { likelihood } }`;
  expect(dataOf(await send(keys.first, UPDATE, { id, input: { likelihood: 'LIKELY' } }, 'update-1')).updateImplication.likelihood).toBe('LIKELY');
  dataOf(await send(keys.second, UPDATE, { id, input: { likelihood: 'ALMOST_CERTAIN' } }));
  const replay = dataOf(await send(keys.first, UPDATE, { id, input: { likelihood: 'LIKELY' } }, 'update-1'));
  expect(replay.updateImplication.likelihood).toBe('ALMOST_CERTAIN');
});

test('each mutation field of an operation is answered once under one key', async () => {
  const BOTH = `mutation($a: ImplicationInput!, $b: ImplicationInput!) { a: createImplication(input: $a) { id } b: createImplication(input: $b) { id } }`;
  const variables = { a: judgment('The first field of two.'), b: judgment('The second field of two.') };
  const first = dataOf(await send(keys.first, BOTH, variables, 'both-1'));
  expect(first.a.id).not.toBe(first.b.id);
  expect(dataOf(await send(keys.first, BOTH, variables, 'both-1'))).toEqual(first);
  expect([await judgmentsSaying('The first field of two.'), await judgmentsSaying('The second field of two.')]).toEqual([1, 1]);
});

test('a key is forgotten after 24 hours', async () => {
  const input = judgment('Retried a day later.');
  const first = dataOf(await send(keys.first, CREATE, { input }, 'old-1')).createImplication.id;
  expect(dataOf(await send(keys.first, CREATE, { input }, 'old-1')).createImplication.id).toBe(first);
  await server.dataSource.query(`UPDATE idempotency_key SET created_at = now() - interval '25 hours' WHERE key = 'old-1'`);
  const later = dataOf(await send(keys.first, CREATE, { input }, 'old-1')).createImplication.id;
  expect(later).not.toBe(first);
  expect(await judgmentsSaying('Retried a day later.')).toBe(2);
  // Any write under a key clears expired ones, whoever made them.
  dataOf(await send(keys.second, CREATE, { input: judgment('Made long ago by another writer.') }, 'old-2'));
  await server.dataSource.query(`UPDATE idempotency_key SET created_at = now() - interval '25 hours' WHERE key = 'old-2'`);
  dataOf(await send(keys.first, CREATE, { input: judgment('Clears the old keys.') }, 'sweep-1'));
  expect(await server.dataSource.query(`SELECT count(*)::int AS n FROM idempotency_key WHERE key = 'old-2'`)).toEqual([{ n: 0 }]);
});

test('a malformed key is BAD_USER_INPUT and nothing is written', async () => {
  for (const key of ['', 'k'.repeat(256), 'caf\u00e9']) {
    const response = await send(keys.first, CREATE, { input: judgment('Sent with a malformed key.') }, key);
    expect({ key, status: response.status, extensions: response.body.errors?.[0]?.extensions }).toMatchObject({
      key,
      status: 200,
      extensions: { code: 'BAD_USER_INPUT', argumentName: 'Idempotency-Key' },
    });
  }
  expect(await judgmentsSaying('Sent with a malformed key.')).toBe(0);
  expect(dataOf(await send(keys.first, CREATE, { input: judgment('Sent with the longest key.') }, 'k'.repeat(255))).createImplication.id).toEqual(
    expect.any(String),
  );
});

test('createApiKey refuses a key: its secret could not be given again', async () => {
  const CREATE_KEY = `mutation($input: ApiKeyInput!) { createApiKey(input: $input) { key } }`;
  const refused = await send(server.key, CREATE_KEY, { input: { name: 'retried-key', role: 'VIEWER', clearance: 'CLEAR' } }, 'api-key-1');
  expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'Idempotency-Key' });
  expect(await server.dataSource.query(`SELECT count(*)::int AS n FROM api_key WHERE name = 'retried-key'`)).toEqual([{ n: 0 }]);
});

test('brief definitions are created, paused and deleted once under a key', async () => {
  const CREATE_DEFINITION = `mutation($input: BriefDefinitionInput!) { createBriefDefinition(input: $input) { id name } }`;
  const input = { name: 'retried definition', brief: { topics: ['dprk-troops-in-russia'] }, cron: '0 0 1 1 *' };
  const created = dataOf(await send(server.key, CREATE_DEFINITION, { input }, 'definition-1')).createBriefDefinition;
  expect(dataOf(await send(server.key, CREATE_DEFINITION, { input }, 'definition-1')).createBriefDefinition).toEqual(created);

  const PAUSE = `mutation($id: ID!) { pauseBriefDefinition(id: $id) { paused } }`;
  expect(dataOf(await send(server.key, PAUSE, { id: created.id }, 'pause-1')).pauseBriefDefinition.paused).toBe(true);
  dataOf(await send(server.key, `mutation($id: ID!) { resumeBriefDefinition(id: $id) { paused } }`, { id: created.id }));
  // The replayed pause does not pause it again.
  expect(dataOf(await send(server.key, PAUSE, { id: created.id }, 'pause-1')).pauseBriefDefinition.paused).toBe(false);

  const DELETE = `mutation($id: ID!) { deleteBriefDefinition(id: $id) }`;
  expect(dataOf(await send(server.key, DELETE, { id: created.id }, 'definition-delete-1')).deleteBriefDefinition).toBe(created.id);
  expect(dataOf(await send(server.key, DELETE, { id: created.id }, 'definition-delete-1')).deleteBriefDefinition).toBe(created.id);
  expect(await server.dataSource.query(`SELECT count(*)::int AS n FROM brief_definition WHERE name = 'retried definition'`)).toEqual([{ n: 0 }]);
});

test('revokeApiKey is answered once under a key, and the key cannot revoke another', async () => {
  const make = async (name: string) =>
    (await createKey(server.dataSource.manager, { name, role: Role.VIEWER, clearance: Marking.CLEAR, organisation: 'test-org' })).apiKey.id;
  const [one, other] = [toGlobalId('ApiKey', await make('revoked-once')), toGlobalId('ApiKey', await make('kept'))];
  const REVOKE = `mutation($id: ID!) { revokeApiKey(id: $id) { id name revokedAt } }`;
  const revoked = dataOf(await send(server.key, REVOKE, { id: one }, 'revoke-1')).revokeApiKey;
  expect(revoked).toMatchObject({ id: one, name: 'revoked-once' });
  expect(dataOf(await send(server.key, REVOKE, { id: one }, 'revoke-1')).revokeApiKey).toEqual(revoked);
  expect((await send(server.key, REVOKE, { id: other }, 'revoke-1')).body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  expect(await server.dataSource.query(`SELECT revoked_at FROM api_key WHERE name = 'kept'`)).toEqual([{ revoked_at: null }]);
});
