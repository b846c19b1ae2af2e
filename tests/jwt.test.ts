import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { startTestServer, TestServer } from './support/server';

// Identities from an external identity provider: JWTs verified against its JWKS, claims mapped to the viewer.
let idp: Server;
let server: TestServer;
let signingKey: CryptoKey;
const ISSUER = 'https://idp.example';

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  signingKey = pair.privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  idp = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
  const jwks = `http://127.0.0.1:${(idp.address() as AddressInfo).port}/jwks.json`;
  server = await startTestServer({ JWT_JWKS_URL: jwks, JWT_ISSUER: ISSUER, JWT_AUDIENCE: 'dossier' });
});
afterAll(async () => {
  await server.close();
  await new Promise((resolve) => idp.close(resolve));
});

const token = (claims: Record<string, unknown>, options: { issuer?: string; expires?: string; key?: CryptoKey } = {}) =>
  new SignJWT({ dossier_role: 'VIEWER', dossier_clearance: 'AMBER', dossier_organisation: 'idp-org', ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
    .setSubject('alice@idp-org')
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience('dossier')
    .setIssuedAt()
    .setExpirationTime(options.expires ?? '5m')
    .sign(options.key ?? signingKey);

test('a valid token is an identity: principal, role, clearance and organisation from its claims', async () => {
  const response = await server.gqlAs(await token({}), '{ viewer { principal role clearance organisation } }');
  expect(response.body.data.viewer).toEqual({ principal: 'jwt:alice@idp-org', role: 'VIEWER', clearance: 'AMBER', organisation: 'idp-org' });
  // An AMBER reader from the identity provider sees the seed's AMBER judgment.
  const implications = await server.gqlAs(await token({}), '{ implications(filter: { topic: "dprk-troops-in-russia" }) { totalCount } }');
  expect(implications.body.data.implications.totalCount).toBe(11);
});

test('a token may carry every role, REPORTER included', async () => {
  for (const role of ['VIEWER', 'ANALYST', 'RELEASER', 'REPORTER', 'ADMIN']) {
    const response = await server.gqlAs(await token({ dossier_role: role }), '{ viewer { role } }');
    expect({ role, status: response.status, viewer: response.body.data?.viewer }).toEqual({ role, status: 200, viewer: { role } });
  }
});

test('a REPORTER token manages brief definitions, and cannot mint keys', async () => {
  const reporter = await token({ dossier_role: 'REPORTER' });
  const created = await server.gqlAs(reporter, `mutation($input: BriefDefinitionInput!) { createBriefDefinition(input: $input) { id paused } }`, {
    input: { name: 'from the identity provider', brief: { topics: ['dprk-troops-in-russia'] }, cron: '0 0 1 1 *' },
  });
  expect(created.body.data?.createBriefDefinition?.paused).toBe(false);
  const id = created.body.data.createBriefDefinition.id;
  const paused = await server.gqlAs(reporter, `mutation($id: ID!) { pauseBriefDefinition(id: $id) { paused } }`, { id });
  expect(paused.body.data?.pauseBriefDefinition).toEqual({ paused: true });
  const minted = await server.gqlAs(reporter, `mutation { createApiKey(input: { name: "by-token", role: VIEWER, clearance: GREEN }) { key } }`);
  expect(minted.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  // A VIEWER token may not.
  const viewer = await server.gqlAs(await token({}), `mutation($id: ID!) { deleteBriefDefinition(id: $id) }`, { id });
  expect(viewer.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  const removed = await server.gqlAs(reporter, `mutation($id: ID!) { deleteBriefDefinition(id: $id) }`, { id });
  expect(removed.body.data?.deleteBriefDefinition).toBe(id);
});

test('a token that does not verify, or whose claims are unknown, is refused with 401', async () => {
  const otherKey = (await generateKeyPair('RS256')).privateKey;
  const bad = [
    await token({}, { issuer: 'https://elsewhere.example' }),
    await token({}, { expires: '-1m' }),
    await token({}, { key: otherKey }),
    await token({ dossier_role: 'GOD' }),
    await token({ dossier_clearance: 'TOP_SECRET' }),
    `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"mallory","dossier_role":"ADMIN","dossier_clearance":"RED"}').toString('base64url')}.`,
  ];
  for (const jwt of bad) {
    const response = await server.gqlAs(jwt, '{ viewer { principal } }');
    expect({ status: response.status, code: response.body.errors?.[0]?.extensions?.code }).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
  }
});

test('while the identity provider’s keys cannot be fetched, a token is neither accepted nor refused: 503', async () => {
  const silent = createServer(() => undefined); // accepts, never answers
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const jwks = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/jwks.json`;
  const waiting = await startTestServer({ JWT_JWKS_URL: jwks, JWT_ISSUER: ISSUER, JWT_AUDIENCE: 'dossier' }, server.databaseUrl);
  try {
    const response = await fetch(`${waiting.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await token({})}` },
      body: JSON.stringify({ query: '{ viewer { principal } }' }),
    });
    const body = await response.json();
    expect({ status: response.status, retryAfter: response.headers.get('retry-after'), code: body.errors?.[0]?.extensions?.code }).toEqual({
      status: 503,
      retryAfter: '2',
      code: 'SERVICE_UNAVAILABLE',
    });
  } finally {
    await waiting.close();
    silent.closeAllConnections();
    await new Promise((resolve) => silent.close(resolve));
  }
});
