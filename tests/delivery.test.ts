import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../src/config';
import { createDataSource } from '../src/db/data-source';
import { BriefScheduler } from '../src/modules/brief-run/brief-scheduler';
import { executeRun } from '../src/modules/brief-run/brief-run.service';
import { WITHHELD_ERROR } from '../src/modules/delivery/delivery.disclosure';
import { deliverySettings } from '../src/modules/delivery/delivery.settings';
import { REPLAY_WINDOW_SECONDS, SIGNATURE_HEADER, verifySignature } from '../src/modules/delivery/signature';
import { isPrivateAddress } from '../src/modules/delivery/webhook-address';
import { sendWebhook } from '../src/modules/delivery/webhook.send';
import { createKey } from '../src/modules/identity/api-key.service';
import { Role } from '../src/modules/identity/role';
import { Marking } from '../src/common/marking';
import { fixtureId } from '../src/modules/fixture/fixture.ids';
import { fromGlobalId, toGlobalId } from '../src/read/global-id';
import { addMarkedLayer, AMBER_STATEMENT } from './support/marked-layer';
import { sampleOf, scrape } from './support/metrics';
import { startMailReceiver, startWebhookReceiver, type MailReceiver, type WebhookReceiver } from './support/receivers';
import { dataOf, startTestServer, type TestServer } from './support/server';

// Definitions fall due every 1 January (UTC); ticks are given the time, so each test picks its occurrences.
// Each test waits on deliveries (with retries about a second apart) with generous deadlines of its own.
jest.setTimeout(240_000);

const YEARLY = '0 0 1 1 *';
const at = (year: number) => new Date(`${year}-01-01T00:00:05Z`);
const DPRK = { topics: ['dprk-troops-in-russia'] };

let receiver: WebhookReceiver;
let mail: MailReceiver;
/** Delivers to the local receivers: private addresses allowed, the receiver's certificate trusted, retries after ~1 s. */
let server: TestServer;
/** The same database as a service with the defaults: no private addresses, no SMTP. */
let strict: TestServer;
let scheduler: BriefScheduler;
let schedulerDataSource: DataSource;
let env: Record<string, string>;

async function startScheduler() {
  schedulerDataSource = createDataSource(server.databaseUrl);
  await schedulerDataSource.initialize();
  const delivery = deliverySettings(loadConfig({ NODE_ENV: 'test', DATABASE_URL: server.databaseUrl, ...env }));
  scheduler = await BriefScheduler.start(schedulerDataSource, { connectionString: server.databaseUrl, tickMs: 3_600_000, pollSeconds: 0.5, delivery });
}

async function stopScheduler() {
  await scheduler.stop();
  await schedulerDataSource.destroy();
}

beforeAll(async () => {
  [receiver, mail] = await Promise.all([startWebhookReceiver(), startMailReceiver()]);
  env = { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_CA_FILE: receiver.caFile, SMTP_URL: mail.url, DELIVERY_RETRY_DELAY_S: '1', DELIVERY_RETRY_LIMIT: '3' };
  server = await startTestServer(env);
  strict = await startTestServer({}, server.databaseUrl);
  await startScheduler();
});
afterEach(async () => {
  await server.dataSource.query('DELETE FROM brief_definition');
  receiver.received.length = 0;
  receiver.answer = () => 200;
  mail.messages.length = 0;
});
afterAll(async () => {
  await stopScheduler();
  await strict.close();
  await server.close();
  await Promise.all([receiver.close(), mail.close()]);
});

const CREATE = `mutation($input: BriefDefinitionInput!) { createBriefDefinition(input: $input) { id input } }`;
const ADD_WEBHOOK = `mutation($d: ID!, $input: WebhookDeliveryInput!) {
  addBriefDefinitionWebhook(definition: $d, input: $input) { secret target { id kind label clearance } }
}`;
const ADD_EMAIL = `mutation($d: ID!, $input: EmailDeliveryInput!) { addBriefDefinitionEmail(definition: $d, input: $input) { id kind label recipients clearance } }`;
const RUNS = `query($d: ID!) {
  briefRuns(definition: $d, first: 100) { nodes {
    id status scheduledFor finishedAt contentHash markdown
    deliveries { id kind target clearance state attempts lastStatusCode error responseExcerpt marking contentHash createdAt lastAttemptAt finishedAt }
  } }
}`;

async function define(as: TestServer, name: string, extra: Record<string, unknown> = {}) {
  const input = { name, brief: DPRK, cron: YEARLY, timeZone: 'UTC', formats: ['MARKDOWN', 'HTML', 'JSON'], ...extra };
  return dataOf(await as.gql(CREATE, { input })).createBriefDefinition as { id: string; input: { clearance: string } };
}

async function addWebhook(as: TestServer, definition: string, path: string, clearance = 'GREEN') {
  return dataOf(await as.gql(ADD_WEBHOOK, { d: definition, input: { url: `${receiver.url}${path}`, clearance } })).addBriefDefinitionWebhook as {
    secret: string;
    target: { id: string; label: string; clearance: string };
  };
}

/** Waits, with a generous deadline, until `check` holds. */
async function until(what: string, check: () => Promise<boolean>, deadlineMs = 60_000) {
  for (const end = Date.now() + deadlineMs; Date.now() < end;) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what}: not within ${deadlineMs / 1000} s`);
}

/** Runs the occurrence of `year` and waits until its runs are done and none of their deliveries is pending. */
async function runYear(year: number) {
  await scheduler.tick(at(year));
  await until('runs and deliveries settled', async () => {
    const [{ open }] = await server.dataSource.query(
      `SELECT (SELECT count(*) FROM brief_run WHERE status IN ('QUEUED', 'RUNNING'))::int
            + (SELECT count(*) FROM brief_delivery WHERE state = 'PENDING')::int AS open`,
    );
    return open === 0;
  });
}

const runsOf = async (as: TestServer, definition: string) => dataOf(await as.gql(RUNS, { d: definition })).briefRuns.nodes as any[];
const onPath = (path: string) => receiver.received.filter((r) => r.path === path);

test('a webhook is received with its signature and timestamp verified, carrying the run, its formats and its delta', async () => {
  const d = await define(server, 'webhook');
  const { secret, target } = await addWebhook(server, d.id, '/hook?token=s3cret');
  expect(target.label).toBe(`${receiver.url}/hook?…`);
  expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
  await runYear(2027);

  const [request] = onPath('/hook?token=s3cret');
  const header = request.headers[SIGNATURE_HEADER.toLowerCase()] as string;
  expect(verifySignature(secret, request.body, header)).toBe(true);
  const t = Number(/^t=(\d+),v1=[0-9a-f]{64}$/.exec(header)![1]);
  expect(Math.abs(Date.now() / 1000 - t)).toBeLessThan(REPLAY_WINDOW_SECONDS);
  // Another key, another body, or the same signature replayed after the window: refused.
  expect(verifySignature('whsec_other', request.body, header)).toBe(false);
  expect(verifySignature(secret, request.body.replace('North Korean', 'South Korean'), header)).toBe(false);
  expect(verifySignature(secret, request.body, header, t + REPLAY_WINDOW_SECONDS + 1)).toBe(false);
  expect(request.headers['content-type']).toBe('application/json');

  const [run] = await runsOf(server, d.id);
  const body = JSON.parse(request.body);
  expect(request.headers['dossier-delivery']).toBe(run.deliveries[0].id);
  expect(body.run).toEqual({
    id: run.id,
    definition: { id: d.id, name: 'webhook' },
    scheduledFor: '2027-01-01T00:00:00.000Z',
    finishedAt: run.finishedAt,
    contentHash: run.contentHash,
  });
  expect(body.formats.markdown).toBe(run.markdown);
  expect(body.formats.html).toContain('<h1>North Korean troop deployment to Russia, 2024</h1>');
  expect(body.formats.json.title).toBe('North Korean troop deployment to Russia, 2024');
  expect(body.delta).toBeNull();
  expect(run.deliveries).toEqual([
    expect.objectContaining({ kind: 'WEBHOOK', target: target.label, clearance: 'GREEN', state: 'DELIVERED', attempts: 1, lastStatusCode: 200, error: null }),
  ]);
  expect(run.deliveries[0].responseExcerpt.length).toBeLessThanOrEqual(512);

  // The next run's delta is against what this target received: a new statement is added, the rest unchanged.
  const added = '00000000-0000-4000-8000-00000000de01';
  await server.dataSource.query(
    `INSERT INTO capability (id, topic_id, actor_id, category, statement) VALUES ($1, $2, $3, 'EQUIPMENT', 'DELIVERED-DELTA: new artillery.')`,
    [added, fixtureId('topic', 'dprk-troops-in-russia'), fixtureId('actor', 'korean-peoples-army')],
  );
  await server.dataSource.query(
    `INSERT INTO citation (id, source_id, verb, quote, credibility, capability_id) VALUES (gen_random_uuid(), $1, 'REPORTS', 'q', 3, $2)`,
    [fixtureId('source', 'army-recognition-2024-10-19'), added],
  );
  try {
    await runYear(2028);
    const second = JSON.parse(onPath('/hook?token=s3cret')[1].body);
    expect(second.delta).toMatchObject({
      baseline: 'RUN',
      baselineRunId: run.id,
      added: [{ id: toGlobalId('Capability', added), text: 'DELIVERED-DELTA: new artillery.' }],
      removed: [],
      changed: [],
    });
    expect(second.delta.unchanged).toBeGreaterThan(10);
  } finally {
    await server.dataSource.query(`DELETE FROM capability WHERE id = $1`, [added]);
  }
});

test('a receiver answering 500 and then 200 is retried through the queue, and the log shows both attempts', async () => {
  receiver.answer = (path, previous) => (path === '/flaky' && previous === 0 ? 500 : path === '/gone' ? 410 : 200);
  const d = await define(server, 'retried');
  const { secret } = await addWebhook(server, d.id, '/flaky');
  await addWebhook(server, d.id, '/gone');
  const counters = async () => {
    const { text } = await scrape(server.url);
    return {
      delivered: sampleOf(text, 'dossier_delivery_attempts_total', { kind: 'webhook', state: 'delivered' }),
      failed: sampleOf(text, 'dossier_delivery_attempts_total', { kind: 'webhook', state: 'failed' }),
      composed: sampleOf(text, 'dossier_brief_runs_total', { outcome: 'composed' }),
      ticks: sampleOf(text, 'dossier_scheduler_ticks_total', { outcome: 'ok' }),
    };
  };
  const before = await counters();
  await runYear(2027);
  // An operator sees the run, the tick and how each delivery ended (a retry is not an ending).
  const after = await counters();
  expect(after).toEqual({ delivered: before.delivered + 1, failed: before.failed + 1, composed: before.composed + 1, ticks: expect.any(Number) });
  expect(after.ticks).toBeGreaterThan(before.ticks);

  const [run] = await runsOf(server, d.id);
  // A delivery that fails never fails its run.
  expect(run.status).toBe('SUCCEEDED');
  const byTarget = Object.fromEntries(run.deliveries.map((x: any) => [x.target.replace(receiver.url, ''), x]));
  expect(byTarget['/flaky']).toMatchObject({ state: 'DELIVERED', attempts: 2, lastStatusCode: 200, error: null });
  // 410 will not change by asking again: given up after one attempt.
  expect(byTarget['/gone']).toMatchObject({ state: 'FAILED', attempts: 1, lastStatusCode: 410, error: 'HTTP 410' });
  expect(byTarget['/gone'].responseExcerpt).toMatch(/^answered 410 x+$/);
  const attempts = onPath('/flaky');
  expect(attempts).toHaveLength(2);
  // The same bytes each time, each signed afresh.
  expect(attempts[1].body).toBe(attempts[0].body);
  for (const a of attempts) expect(verifySignature(secret, a.body, a.headers['dossier-signature'] as string)).toBe(true);
});

test('a delivery waiting for its retry is sent by the next instance after this one stops', async () => {
  let up = false;
  receiver.answer = (path) => (path === '/later' && !up ? 503 : 200);
  const d = await define(server, 'survives a restart');
  await addWebhook(server, d.id, '/later');
  await scheduler.tick(at(2027));
  await until('a first attempt', async () => onPath('/later').length >= 1);
  await stopScheduler();
  const [pending] = await server.dataSource.query(`SELECT state FROM brief_delivery`);
  expect(pending.state).toBe('PENDING');
  up = true;
  await startScheduler();
  await until('delivered after the restart', async () => {
    const [row] = await server.dataSource.query(`SELECT state FROM brief_delivery`);
    return row.state === 'DELIVERED';
  });
  expect(onPath('/later').length).toBeGreaterThanOrEqual(2);
});

test('an e-mail delivery arrives with Markdown and HTML parts, its subject carrying the TLP marking', async () => {
  const d = await define(server, 'by mail');
  const added = dataOf(await server.gql(ADD_EMAIL, { d: d.id, input: { recipients: ['analyst@example.org', 'desk@example.org'], clearance: 'GREEN' } }));
  expect(added.addBriefDefinitionEmail).toMatchObject({ kind: 'EMAIL', label: 'analyst@example.org, desk@example.org', clearance: 'GREEN' });
  await runYear(2027);

  const [run] = await runsOf(server, d.id);
  expect(run.deliveries).toEqual([expect.objectContaining({ kind: 'EMAIL', state: 'DELIVERED', attempts: 1, lastStatusCode: 250 })]);
  expect(mail.messages).toHaveLength(1);
  const [message] = mail.messages;
  // Long headers are folded onto the next line (RFC 5322): unfold them before reading.
  const headers = message.raw.slice(0, message.raw.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ');
  expect(message.to.sort()).toEqual(['analyst@example.org', 'desk@example.org']);
  const marking = run.deliveries[0].marking.replace('_', '+');
  expect(headers).toMatch(new RegExp(`^Subject: \\[TLP:${marking}\\] North Korean troop deployment to Russia, 2024 \\(2027-01-01\\)\r?$`, 'm'));
  expect(headers).toMatch(/^Content-Type: multipart\/alternative;/m);
  expect(message.raw).toMatch(/^Content-Type: text\/plain; charset=utf-8/m);
  expect(message.raw).toMatch(/^Content-Type: text\/html; charset=utf-8/m);
  expect(message.raw).toContain('# North Korean troop deployment to Russia, 2024');
});

test('onlyWhenChanged records an unchanged run without delivering it, and delivers once the content changes', async () => {
  const d = await define(server, 'only changes', { onlyWhenChanged: true });
  await addWebhook(server, d.id, '/changes');
  await runYear(2027);
  await runYear(2028);
  const challenge = fixtureId('topic', 'dprk-troops-in-russia', 'challenges', 'language-barrier');
  const [{ statement }] = await server.dataSource.query(`SELECT statement FROM challenge WHERE id = $1`, [challenge]);
  await server.dataSource.query(`UPDATE challenge SET statement = $2, updated_at = now() WHERE id = $1`, [challenge, `${statement} (revised)`]);
  try {
    await runYear(2029);
  } finally {
    await server.dataSource.query(`UPDATE challenge SET statement = $2 WHERE id = $1`, [challenge, statement]);
  }
  const runs = await runsOf(server, d.id);
  expect(runs.map((r) => [r.scheduledFor.slice(0, 4), r.status, r.deliveries.map((x: any) => x.state)])).toEqual([
    ['2029', 'SUCCEEDED', ['DELIVERED']],
    ['2028', 'SUCCEEDED', ['SKIPPED_UNCHANGED']],
    ['2027', 'SUCCEEDED', ['DELIVERED']],
  ]);
  expect(runs[1].deliveries[0]).toMatchObject({ attempts: 0, error: expect.stringContaining('unchanged'), contentHash: runs[2].deliveries[0].contentHash });
  expect(onPath('/changes')).toHaveLength(2);
  const last = JSON.parse(onPath('/changes')[1].body);
  expect(last.delta.changed).toEqual([expect.objectContaining({ id: toGlobalId('Challenge', challenge), changes: ['text'] })]);
});

test('webhooks to loopback, private, link-local or metadata addresses, and other bad input, are BAD_USER_INPUT and store nothing', async () => {
  const d = await define(strict, 'refusals');
  const count = async () => (await server.dataSource.query(`SELECT count(*)::int AS n FROM delivery_target`))[0].n as number;
  const before = await count();
  const cases: Array<[string, Record<string, unknown>, string]> = [
    [ADD_WEBHOOK, { url: 'http://example.org/hook', clearance: 'GREEN' }, 'input.url'],
    [ADD_WEBHOOK, { url: 'https://127.0.0.1/hook', clearance: 'GREEN' }, 'input.url'],
    [ADD_WEBHOOK, { url: `${receiver.url}/hook`, clearance: 'GREEN' }, 'input.url'],
    [ADD_WEBHOOK, { url: 'https://localhost/hook', clearance: 'GREEN' }, 'input.url'],
    [ADD_WEBHOOK, { url: 'https://10.1.2.3/hook', clearance: 'GREEN' }, 'input.url'],
    [ADD_WEBHOOK, { url: 'https://192.168.0.10/hook', clearance: 'GREEN' }, 'input.url'],
    [ADD_WEBHOOK, { url: 'https://169.254.169.254/latest/meta-data/', clearance: 'GREEN' }, 'input.url'],
    [ADD_WEBHOOK, { url: 'https://[::1]/hook', clearance: 'GREEN' }, 'input.url'],
    [ADD_WEBHOOK, { url: 'https://[::ffff:127.0.0.1]/hook', clearance: 'GREEN' }, 'input.url'],
    [ADD_WEBHOOK, { url: 'https://[fd00:ec2::254]/hook', clearance: 'GREEN' }, 'input.url'],
    [ADD_WEBHOOK, { url: 'https://0.0.0.0/hook', clearance: 'GREEN' }, 'input.url'],
    // IPv6 forms that carry or reach an IPv4 address, and ranges outside global unicast.
    [ADD_WEBHOOK, { url: 'https://[::127.0.0.1]/hook', clearance: 'GREEN' }, 'input.url'],
    [ADD_WEBHOOK, { url: 'https://[64:ff9b::7f00:1]/hook', clearance: 'GREEN' }, 'input.url'],
    [ADD_WEBHOOK, { url: 'https://[64:ff9b:1::7f00:1]/hook', clearance: 'GREEN' }, 'input.url'],
    [ADD_WEBHOOK, { url: 'https://[2002:7f00:1::1]/hook', clearance: 'GREEN' }, 'input.url'],
    [ADD_WEBHOOK, { url: 'https://[2001::1]/hook', clearance: 'GREEN' }, 'input.url'],
    [ADD_WEBHOOK, { url: 'https://[fec0::1]/hook', clearance: 'GREEN' }, 'input.url'],
    [ADD_WEBHOOK, { url: 'https://192.88.99.1/hook', clearance: 'GREEN' }, 'input.url'],
    [ADD_WEBHOOK, { url: 'https://user:pw@example.org/hook', clearance: 'GREEN' }, 'input.url'],
    [ADD_WEBHOOK, { url: 'not a url', clearance: 'GREEN' }, 'input.url'],
    [ADD_WEBHOOK, { url: `https://example.org/${'x'.repeat(2100)}`, clearance: 'GREEN' }, 'input.url'],
    [ADD_EMAIL, { recipients: ['analyst@example.org'], clearance: 'GREEN' }, 'input.recipients'],
  ];
  for (const [mutation, input, field] of cases) {
    const error = (await strict.gql(mutation, { d: d.id, input })).body.errors?.[0];
    expect({ input, code: error?.extensions?.code, field: error?.extensions?.argumentName }).toEqual({ input, code: 'BAD_USER_INPUT', field });
  }
  const permissive: Array<[string, Record<string, unknown>, string]> = [
    [ADD_WEBHOOK, { url: `${receiver.url}/hook`, clearance: 'RED' }, 'input.clearance'],
    [ADD_WEBHOOK, { url: `${receiver.url}/hook`, clearance: 'AMBER_STRICT' }, 'input.clearance'],
    // Above the definition's clearance (GREEN).
    [ADD_WEBHOOK, { url: `${receiver.url}/hook`, clearance: 'AMBER' }, 'input.clearance'],
    [ADD_EMAIL, { recipients: ['not an address'], clearance: 'GREEN' }, 'input.recipients[0]'],
    [ADD_EMAIL, { recipients: ['a@example.org', 'Someone <b@example.org>'], clearance: 'GREEN' }, 'input.recipients[1]'],
    [ADD_EMAIL, { recipients: ['a@example.org\r\nBcc: x@example.org'], clearance: 'GREEN' }, 'input.recipients[0]'],
    [ADD_EMAIL, { recipients: [], clearance: 'GREEN' }, 'input.recipients'],
  ];
  for (const [mutation, input, field] of permissive) {
    const error = (await server.gql(mutation, { d: d.id, input })).body.errors?.[0];
    expect({ input, code: error?.extensions?.code, field: error?.extensions?.argumentName }).toEqual({ input, code: 'BAD_USER_INPUT', field });
  }
  // A name resolving to a private address is refused without saying which address.
  const named = (await strict.gql(ADD_WEBHOOK, { d: d.id, input: { url: 'https://localhost/hook', clearance: 'GREEN' } })).body.errors?.[0];
  expect(named?.message).toContain('localhost');
  expect(named?.message).not.toMatch(/127\.0\.0\.1|::1/);
  // Global addresses, IPv4 or IPv6, are not refused.
  expect(['8.8.8.8', '::ffff:8.8.8.8', '2606:4700:4700::1111', '2001:4860:4860::8888'].filter(isPrivateAddress)).toEqual([]);
  const malformed = (await server.gql(ADD_WEBHOOK, { d: 'nope', input: { url: `${receiver.url}/hook`, clearance: 'GREEN' } })).body.errors?.[0];
  expect(malformed?.extensions?.code).toBe('BAD_USER_INPUT');
  expect(await count()).toBe(before);

  // Checked again when sending: a service without WEBHOOK_ALLOW_PRIVATE never connects to the receiver.
  const strictSettings = deliverySettings(loadConfig({ NODE_ENV: 'test', WEBHOOK_CA_FILE: receiver.caFile }));
  const outcome = await sendWebhook(strictSettings, `${receiver.url}/never`, 'whsec_x', 'id', '{}');
  expect(outcome).toMatchObject({ delivered: false, retry: false, error: expect.stringContaining('127.0.0.1') });
  expect(onPath('/never')).toEqual([]);
});

test('a webhook’s secret is shown when made and when rotated, and can never be read', async () => {
  const d = await define(server, 'secrets');
  const { secret, target } = await addWebhook(server, d.id, '/secret');
  const fields = dataOf(await server.gql(`{ __type(name: "DeliveryTarget") { fields { name } } }`)).__type.fields.map((f: any) => f.name);
  expect(fields).not.toContain('secret');
  expect(fields).not.toContain('url');
  const asked = await server.gql(`query($d: ID!) { briefDefinition(id: $d) { deliveryTargets { secret } } }`, { d: d.id });
  expect(asked.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  const listed = await server.gql(`query($d: ID!) { briefDefinition(id: $d) { deliveryTargets { id kind label recipients clearance createdAt } } }`, {
    d: d.id,
  });
  expect(dataOf(listed).briefDefinition.deliveryTargets).toEqual([expect.objectContaining({ id: target.id, label: `${receiver.url}/secret` })]);
  expect(JSON.stringify(listed.body)).not.toContain(secret);

  // Its answer cannot be given twice, so it takes no Idempotency-Key.
  const keyed = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.key}`, 'idempotency-key': 'rotate-1' },
    body: JSON.stringify({ query: `mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }`, variables: { id: target.id } }),
  });
  expect((await keyed.json()).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'Idempotency-Key' });

  const rotated = dataOf(await server.gql(`mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret target { id } } }`, { id: target.id }));
  const fresh = rotated.rotateWebhookSecret.secret as string;
  expect(fresh).not.toBe(secret);
  await runYear(2027);
  const [request] = onPath('/secret');
  expect(verifySignature(fresh, request.body, request.headers['dossier-signature'] as string)).toBe(true);
  expect(verifySignature(secret, request.body, request.headers['dossier-signature'] as string)).toBe(false);
  const runs = await server.gql(RUNS, { d: d.id });
  expect(JSON.stringify(runs.body)).not.toContain(fresh);

  const removed = dataOf(await server.gql(`mutation($id: ID!) { removeBriefDefinitionDelivery(id: $id) }`, { id: target.id }));
  expect(removed.removeBriefDefinitionDelivery).toBe(target.id);
  // The log stays with its run.
  expect((await runsOf(server, d.id))[0].deliveries).toEqual([expect.objectContaining({ state: 'DELIVERED' })]);
});

test('a GREEN delivery of a definition with AMBER content carries no AMBER, and readers not cleared see no deliveries', async () => {
  await addMarkedLayer(server.dataSource);
  const amber = await startTestServer({ ...env, VIEWER_CLEARANCE: 'AMBER' }, server.databaseUrl);
  try {
    const d = await define(amber, 'amber definition');
    expect(d.input.clearance).toBe('AMBER');
    const green = await addWebhook(amber, d.id, '/green', 'GREEN');
    await addWebhook(amber, d.id, '/amber', 'AMBER');
    dataOf(await amber.gql(ADD_EMAIL, { d: d.id, input: { recipients: ['green@example.org'], clearance: 'GREEN' } }));
    await runYear(2027);

    const [run] = await runsOf(amber, d.id);
    expect(run.markdown).toContain(AMBER_STATEMENT);
    const states = Object.fromEntries(run.deliveries.map((x: any) => [x.target.replace(receiver.url, ''), [x.state, x.marking]]));
    // At GREEN the AMBER actor is out of sight, and its GREEN statement with it: what is left is CLEAR.
    expect(states).toEqual({ '/green': ['DELIVERED', 'CLEAR'], '/amber': ['DELIVERED', 'AMBER'], 'green@example.org': ['DELIVERED', 'CLEAR'] });
    // What was only configured for AMBER carries it; the GREEN webhook and mail carry none of it, not even in counts' text.
    expect(onPath('/amber')[0].body).toContain(AMBER_STATEMENT);
    const greenBody = onPath('/green')[0].body;
    for (const amberText of [AMBER_STATEMENT, 'AMBER reconnaissance battalion', 'amber-only quote', 'TLP:AMBER']) {
      expect(greenBody).not.toContain(amberText);
      expect(mail.messages[0].raw).not.toContain(amberText);
    }
    expect(JSON.parse(greenBody).marking).not.toBe('AMBER');
    expect(mail.messages[0].raw).toMatch(/^Subject: \[TLP:CLEAR\]/m);

    // A GREEN reader of the same organisation sees neither the definition, nor its runs, nor their deliveries.
    for (const query of [
      `query($d: ID!) { briefRuns(definition: $d) { nodes { deliveries { id target } } } }`,
      `query($d: ID!) { latestBriefRun(definition: $d) { deliveries { id } } }`,
      `query($d: ID!) { briefDefinition(id: $d) { deliveryTargets { id label } } }`,
    ]) {
      const response = await server.gql(query, { d: d.id });
      expect({ query, code: response.body.errors?.[0]?.extensions?.code }).toEqual({ query, code: 'NOT_FOUND' });
      expect(JSON.stringify(response.body)).not.toContain('/green');
    }
    expect(dataOf(await server.gql(`{ briefDefinitions { deliveryTargets { id } } }`)).briefDefinitions).toEqual([]);
    // ...and cannot change its targets.
    for (const [query, variables] of [
      [ADD_WEBHOOK, { d: d.id, input: { url: `${receiver.url}/mine`, clearance: 'GREEN' } }],
      [`mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }`, { id: green.target.id }],
      [`mutation($id: ID!) { removeBriefDefinitionDelivery(id: $id) }`, { id: green.target.id }],
    ] as const) {
      const response = await server.gql(query, variables);
      expect({ query, code: response.body.errors?.[0]?.extensions?.code }).toEqual({ query, code: 'NOT_FOUND' });
    }
  } finally {
    await amber.close();
  }
});

test('a GREEN delivery of an AMBER definition carries neither its name, nor its custom title, nor its run ids as baseline', async () => {
  const amber = await startTestServer({ ...env, VIEWER_CLEARANCE: 'AMBER' }, server.databaseUrl);
  try {
    const d = await define(amber, 'Operation Nightjar tasking', { brief: { ...DPRK, title: 'Nightjar source reporting' } });
    expect(d.input.clearance).toBe('AMBER');
    await addWebhook(amber, d.id, '/lowered', 'GREEN');
    await addWebhook(amber, d.id, '/same', 'AMBER');
    dataOf(await amber.gql(ADD_EMAIL, { d: d.id, input: { recipients: ['lowered@example.org'], clearance: 'GREEN' } }));
    await runYear(2027);
    await runYear(2028);

    const runIds = (await runsOf(amber, d.id)).map((run) => run.id as string);
    expect(runIds).toHaveLength(2);
    // The AMBER target gets what its readers may read: name, title and baseline.
    const same = JSON.parse(onPath('/same')[1].body);
    expect(same.run.definition.name).toBe('Operation Nightjar tasking');
    expect(same.formats.markdown).toContain('Nightjar source reporting');
    expect(same.delta.baselineRunId).toBe(runIds[1]);

    const lowered = onPath('/lowered');
    expect(lowered).toHaveLength(2);
    expect(mail.messages).toHaveLength(2);
    expect(JSON.parse(lowered[1].body).delta).toMatchObject({ baseline: 'RUN', baselineRunId: null });
    expect(JSON.parse(lowered[1].body).run.definition).toEqual({ id: d.id, name: null });
    // Each carries the id of the run it delivers, never that of the run before.
    expect(lowered[1].body.includes(runIds[1])).toBe(false);
    const leaks = [...lowered.map((r) => r.body), ...mail.messages.map((m) => m.raw)].filter((sent) => sent.includes('Nightjar'));
    expect(leaks).toEqual([]);
  } finally {
    await amber.close();
  }
});

test('retention keeps runs whose deliveries are pending and the run each target last received', async () => {
  const d = await define(server, 'retained', { keepRuns: 1 });
  await addWebhook(server, d.id, '/retained');
  await runYear(2027);
  expect(onPath('/retained')).toHaveLength(1);
  const definitionId = fromGlobalId(d.id, 'id').id;
  const left = async () =>
    (
      await server.dataSource.query(
        `SELECT extract(year FROM r.scheduled_for)::int AS year, string_agg(x.state::text, ',') AS states FROM brief_run r
         LEFT JOIN brief_delivery x ON x.run_id = r.id WHERE r.definition_id = $1 GROUP BY r.scheduled_for ORDER BY r.scheduled_for`,
        [definitionId],
      )
    ).map((r: any) => `${r.year} ${r.states}`);
  // With no worker sending, the runs of 2028 and 2029 finish with their deliveries pending.
  await stopScheduler();
  try {
    for (const y of [2028, 2029]) {
      const [{ id }] = await server.dataSource.query(
        `INSERT INTO brief_run (id, definition_id, scheduled_for, status, marking, organisation, audience, input)
         SELECT gen_random_uuid(), id, $2, 'QUEUED', marking, organisation, audience, input FROM brief_definition WHERE id = $1 RETURNING id`,
        [definitionId, at(y)],
      );
      await executeRun(server.dataSource, id);
    }
    expect(await left()).toEqual(['2027 DELIVERED', '2028 PENDING', '2029 PENDING']);
  } finally {
    await startScheduler();
  }
  // Sent once a worker is back, each with its delta against what the target received before.
  await until('pending deliveries sent', async () => onPath('/retained').length === 3);
  const bodies = onPath('/retained').map((r) => JSON.parse(r.body));
  expect(bodies.map((b) => b.run.scheduledFor.slice(0, 4)).sort()).toEqual(['2027', '2028', '2029']);
  expect(bodies.filter((b) => b.delta?.baseline === 'RUN')).toHaveLength(2);
});

test('only reporters and admins of its organisation see a target’s path, recipients and the receiver’s answers', async () => {
  const d = await define(server, 'disclosure');
  await addWebhook(server, d.id, '/T0KEN/B0T/s3cretpath');
  dataOf(await server.gql(ADD_EMAIL, { d: d.id, input: { recipients: ['jane.doe@example.org'], clearance: 'GREEN' } }));
  await runYear(2027);
  const mint = async (name: string, role: Role, organisation: string) =>
    (await createKey(server.dataSource.manager, { name, role, clearance: Marking.GREEN, organisation })).key;
  const [reporter, colleague, outsider, outsideAdmin] = await Promise.all([
    mint(`disclosure-reporter-${process.pid}`, Role.REPORTER, 'test-org'),
    mint(`disclosure-viewer-${process.pid}`, Role.VIEWER, 'test-org'),
    mint(`disclosure-outsider-${process.pid}`, Role.VIEWER, 'other-org'),
    mint(`disclosure-admin-${process.pid}`, Role.ADMIN, 'other-org'),
  ]);
  const READ = `query($d: ID!) {
    briefDefinition(id: $d) { deliveryTargets { label recipients } }
    briefRuns(definition: $d) { nodes { deliveries { target responseExcerpt error } } }
  }`;
  const seen = async (key: string) => dataOf(await server.gqlAs(key, READ, { d: d.id }));
  const [{ id: runId }] = await runsOf(server, d.id);
  const full = await seen(reporter);
  expect(full.briefDefinition.deliveryTargets).toEqual([
    { label: `${receiver.url}/T0KEN/B0T/s3cretpath`, recipients: [] },
    { label: 'jane.doe@example.org', recipients: ['jane.doe@example.org'] },
  ]);
  expect(full.briefRuns.nodes[0].deliveries.map((x: any) => x.responseExcerpt)).toContainEqual(expect.stringContaining('answered 200'));
  for (const key of [colleague, outsider, outsideAdmin]) {
    const masked = await seen(key);
    expect(masked.briefDefinition.deliveryTargets).toEqual([
      { label: receiver.url, recipients: [] },
      { label: '…@example.org', recipients: ['…@example.org'] },
    ]);
    expect(masked.briefRuns.nodes[0].deliveries.map((x: any) => x.target).sort()).toEqual([receiver.url, '…@example.org'].sort());
    expect(masked.briefRuns.nodes[0].deliveries.map((x: any) => x.responseExcerpt)).toEqual([null, null]);
    for (const delivery of masked.briefRuns.nodes[0].deliveries) expect([null, WITHHELD_ERROR]).toContain(delivery.error);
    const node = dataOf(
      await server.gqlAs(key, `query($id: ID!) { node(id: $id) { ... on BriefRun { deliveries { target responseExcerpt error } } } }`, {
        id: runId,
      }),
    ).node;
    expect(JSON.stringify(node)).not.toMatch(/s3cretpath|jane\.doe|answered/);
  }
});

test('a delivery whose content was marked above its clearance after it was composed is withheld', async () => {
  let firstSeen = false;
  receiver.answer = (path) => {
    if (path === '/withheld' && !firstSeen) {
      firstSeen = true;
      return 503;
    }
    return 200;
  };
  const d = await define(server, 'withheld');
  await addWebhook(server, d.id, '/withheld');
  const language = fixtureId('topic', 'dprk-troops-in-russia', 'challenges', 'language-barrier');
  await scheduler.tick(at(2027));
  await until('a first attempt', async () => onPath('/withheld').length >= 1);
  // Between the attempts, a statement it carries is marked AMBER: the retry must not send it to a GREEN receiver.
  await server.dataSource.query(`UPDATE challenge SET marking = 'AMBER' WHERE id = $1`, [language]);
  try {
    await until('the retry settled', async () => {
      const [row] = await server.dataSource.query(`SELECT state FROM brief_delivery WHERE run_id IN (SELECT id FROM brief_run WHERE definition_id = $1)`, [
        fromGlobalId(d.id, 'id').id,
      ]);
      return row?.state !== 'PENDING';
    });
    const [row] = await server.dataSource.query(`SELECT state, error, attempts FROM brief_delivery`);
    expect(row).toMatchObject({ state: 'FAILED', attempts: 1, error: expect.stringContaining('withheld') });
    expect(onPath('/withheld')).toHaveLength(1);
  } finally {
    await server.dataSource.query(`UPDATE challenge SET marking = 'CLEAR' WHERE id = $1`, [language]);
  }
});
