import { Marking } from '../src/common/marking';
import { ANONYMOUS } from '../src/common/viewer';
import { BriefRun } from '../src/modules/brief-run/brief-run.entity';
import { visibleCondition } from '../src/read/access';
import { startTestServer, TestServer } from './support/server';

// The access seam's condition also goes, as text, into TypeORM query builders, which read `:name` as a parameter:
// a principal such as `jwt:id` must reach PostgreSQL as written, or its reader would lose sight of its own items.
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

test('a principal holding ":<parameter name>" reaches the SQL of a query builder as written', async () => {
  const viewer = { ...ANONYMOUS, clearance: Marking.RED, organisation: 'org:id', principal: "jwt:id\\'x" };
  const condition = visibleCondition(viewer, 'r', 'brief_run');
  const [text, params] = server.dataSource
    .createQueryBuilder(BriefRun, 'r')
    .select('r.id')
    .where('r.definition_id = :id', { id: '00000000-0000-4000-8000-000000000001' })
    .andWhere(condition)
    .getQueryAndParameters();
  expect(params).toEqual(['00000000-0000-4000-8000-000000000001']);
  expect(text.match(/\$\d/g)).toEqual(['$1']);
  // PostgreSQL reads the literals back as the viewer's own values.
  const literals = condition.match(/E'(?:[^']|'')*'/g)!;
  expect(literals.length).toBe(2);
  const values = await Promise.all(literals.map(async (l) => (await server.dataSource.query(`SELECT ${l} AS v`))[0].v));
  expect(values.sort()).toEqual(["jwt:id\\'x", 'org:id']);
});
