import { statementCount } from '../src/db/statement-counter';
import { addGeneratedTopic } from './support/generated-topic';
import { dataOf, startTestServer, TestServer } from './support/server';

// The number of SQL statements of a query depends on its shape, never on how many rows it returns.
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  for (const size of [5, 500]) await addGeneratedTopic(server.dataSource, size);
});
afterAll(() => server.close());

const BRIEF = `query($slug: String!) {
  topic(slug: $slug) {
    title
    actors(first: 100) { totalCount nodes { name parent { name }
      capabilities { nodes { statement citations { credibility source { name reliability publisher { name } } } } }
      challenges { nodes { statement citations { verb source { name } } } } } }
    implications(first: 100) { nodes { statement likelihood affectedActors { name } sourceCount citations { quote } } }
    events(first: 100) { nodes { title occurredOn actors { name } location { name } citations { source { name } } } }
    sources { nodes { name citations(first: 100) { totalCount nodes { statement { __typename } } } } }
  }
}`;

async function statementsFor(slug: string) {
  const before = statementCount();
  // Anonymous, so the count is the data's alone: a request with a key also looks the key up (one more statement).
  const data = dataOf(await server.gqlAs(null, BRIEF, { slug }));
  return { statements: statementCount() - before, data };
}

test('the full brief query takes as many SQL statements for 500 actors as for 5', async () => {
  const small = await statementsFor('generated-5');
  const large = await statementsFor('generated-500');
  expect(small.data.topic.actors.totalCount).toBe(5);
  expect(large.data.topic.actors.totalCount).toBe(500);
  expect(large.data.topic.actors.nodes).toHaveLength(100);
  expect(large.data.topic.actors.nodes[0].capabilities.nodes[0].citations[0].source.name).toBe('generated-500');
  expect(large.statements).toBe(small.statements);
  expect(small.statements).toBe(1);
  console.log(`SQL statements for the brief query: ${small.statements} at 5 actors, ${large.statements} at 500 actors`);
});
