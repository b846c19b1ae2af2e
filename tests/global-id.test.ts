import { randomUUID } from 'node:crypto';
import { compile, sql } from '../src/read/fragment';
import { globalIdSql, toGlobalId } from '../src/read/global-id';
import { readModels } from '../src/registry/registry';
import { withAdmin } from './support/test-database';

// PostgreSQL writes the global ids (globalIdSql) that Node decodes and writes (toGlobalId): they must agree for
// every type name, short ones (one base64 line, no line break to remove) and long ones (a break PostgreSQL inserts).
test('PostgreSQL writes the same global id as Node for type names of every length', async () => {
  const names = Array.from({ length: 40 }, (_, i) => `T${'x'.repeat(i)}`);
  const id = randomUUID();
  const { text, values } = compile(
    sql`SELECT ${sql.join(
      names.map((name) => sql`${globalIdSql(name, sql`r`)} AS ${sql.identifier(`n${name.length}`)}`),
      ', ',
    )} FROM (SELECT ${sql.value(id, 'uuid')} AS id) r`,
  );
  const [row] = await withAdmin(async (client) => (await client.query<Record<string, string>>(text, values)).rows);
  expect(names.map((name) => row[`n${name.length}`])).toEqual(names.map((name) => toGlobalId(name, id)));
  // The registry's types are all short enough for the cheap form.
  for (const name of readModels.keys())
    expect({ name, sql: compile(globalIdSql(name, sql`r`)).text }).not.toMatchObject({ sql: expect.stringContaining('translate') });
});
