// Writes schema/schema.graphql and schema/import-format.schema.json from the code: run after changing a GraphQL type
// or the import format, and commit the result.
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importFormatJsonSchema } from '../src/modules/fixture/fixture.schema';
import { buildDossierSchema, printDossierSchema } from '../src/server/schema';

buildDossierSchema().then(
  (schema) => {
    writeFileSync(join(__dirname, '..', 'schema', 'schema.graphql'), printDossierSchema(schema));
    writeFileSync(join(__dirname, '..', 'schema', 'import-format.schema.json'), importFormatJsonSchema());
    console.log('schema/schema.graphql and schema/import-format.schema.json written');
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
