import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importFormatJsonSchema } from '../src/modules/fixture/fixture.schema';
import { buildDossierSchema, printDossierSchema } from '../src/server/schema';

test('the committed schema/schema.graphql is the schema the code builds (run `npm run schema:emit` after a change)', async () => {
  const committed = readFileSync(join(__dirname, '..', 'schema', 'schema.graphql'), 'utf8');
  expect(printDossierSchema(await buildDossierSchema())).toBe(committed);
});

test('the committed schema/import-format.schema.json is the import format the code reads', () => {
  expect(importFormatJsonSchema()).toBe(readFileSync(join(__dirname, '..', 'schema', 'import-format.schema.json'), 'utf8'));
});

test('every type and field of the schema has a description', async () => {
  const schema = await buildDossierSchema();
  const missing: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name)) continue;
    if (!type.description) missing.push(type.name);
    if ('getFields' in type) {
      for (const field of Object.values(type.getFields())) {
        if (!field.description) missing.push(`${type.name}.${field.name}`);
      }
    }
  }
  expect(missing).toEqual([]);
});
