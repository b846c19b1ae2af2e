import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { dataOf, startTestServer, TestServer } from './support/server';

// The golden brief: the DPRK brief as a reader gets it, checked byte for byte. After a deliberate change,
// UPDATE_EXPECTED=1 rewrites it: read its diff as the brief a person would send.
const golden = join(__dirname, '..', 'fixtures', 'briefs', 'dprk-troops-in-russia.md');
const DPRK = { topics: ['dprk-troops-in-russia'] };

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const BRIEF = `query Brief($input: BriefInput!) { brief(input: $input) { markdown html contentHash marking title } }`;

test('the DPRK brief is the golden Markdown file, byte for byte', async () => {
  const { brief } = dataOf(await server.gql(BRIEF, { input: DPRK }));
  if (process.env.UPDATE_EXPECTED || !existsSync(golden)) writeFileSync(golden, brief.markdown);
  expect(brief.markdown).toBe(readFileSync(golden, 'utf8'));
  expect(brief.contentHash).toBe(createHash('sha256').update(brief.markdown).digest('hex'));
  expect(brief.marking).toBe('CLEAR');
});
