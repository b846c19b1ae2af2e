import { statementCount } from '../src/db/statement-counter';
import { dataOf, startTestServer, TestServer } from './support/server';

// The number of SQL statements of a query depends on its shape, never on how many rows it returns.
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  for (const size of [5, 500]) await addTopic(server, size);
});
afterAll(() => server.close());

/** A topic with `size` actors, each with a capability, a challenge, an event and an implication, all cited. */
async function addTopic(s: TestServer, size: number) {
  await s.dataSource.query(
    `WITH t AS (INSERT INTO topic (id, slug, title, summary) VALUES (gen_random_uuid(), $1, $1, 'generated') RETURNING id),
     src AS (INSERT INTO source (id, name, kind, reliability) VALUES (gen_random_uuid(), $1, 'MEDIA_REPORT', 'C') RETURNING id),
     a AS (INSERT INTO actor (id, name, kind) SELECT gen_random_uuid(), $1 || ' actor ' || n, 'STATE' FROM generate_series(1, $2) n RETURNING id),
     ta AS (INSERT INTO topic_actor SELECT t.id, a.id FROM t, a),
     cap AS (INSERT INTO capability (id, topic_id, actor_id, category, statement) SELECT gen_random_uuid(), t.id, a.id, 'MANPOWER', 'can' FROM t, a RETURNING id),
     cha AS (INSERT INTO challenge (id, topic_id, actor_id, category, statement) SELECT gen_random_uuid(), t.id, a.id, 'LANGUAGE', 'cannot' FROM t, a RETURNING id),
     ev AS (INSERT INTO event (id, topic_id, title, occurred_on, precision) SELECT gen_random_uuid(), t.id, 'happened', '2024-08-01', 'MONTH' FROM t, a RETURNING id),
     ea AS (INSERT INTO event_actor SELECT ev.id, (SELECT id FROM a LIMIT 1) FROM ev),
     im AS (INSERT INTO implication (id, topic_id, statement, likelihood, confidence, scope, horizon) SELECT gen_random_uuid(), t.id, 'means', 'LIKELY', 'LOW', 'GLOBAL', 'LONG_TERM' FROM t, a RETURNING id),
     ia AS (INSERT INTO implication_actor SELECT im.id, (SELECT id FROM a LIMIT 1) FROM im)
     INSERT INTO citation (id, source_id, verb, quote, credibility, capability_id, challenge_id, implication_id, event_id)
       SELECT gen_random_uuid(), src.id, 'REPORTS', 'q', 3, x.capability_id, x.challenge_id, x.implication_id, x.event_id FROM src, (
         SELECT id AS capability_id, NULL::uuid AS challenge_id, NULL::uuid AS implication_id, NULL::uuid AS event_id FROM cap
         UNION ALL SELECT NULL, id, NULL, NULL FROM cha
         UNION ALL SELECT NULL, NULL, id, NULL FROM im
         UNION ALL SELECT NULL, NULL, NULL, id FROM ev) x`,
    [`generated-${size}`, size],
  );
}

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
  const data = dataOf(await server.gql(BRIEF, { slug }));
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
