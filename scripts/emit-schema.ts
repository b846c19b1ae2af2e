// Writes schema/schema.graphql from the code: run after changing a GraphQL type, and commit the result.
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildDossierSchema, printDossierSchema } from '../src/server/schema';

buildDossierSchema().then(
  (schema) => {
    writeFileSync(join(__dirname, '..', 'schema', 'schema.graphql'), printDossierSchema(schema));
    console.log('schema/schema.graphql written');
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
