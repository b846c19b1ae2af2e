// Writes an Apollo persisted query manifest of the .graphql files in a folder, for ALLOWLIST_FILE:
//   npm run -s operations:manifest -- fixtures/operations > operations.manifest.json
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { manifestOf } from '../src/server/persisted-queries';

const dir = process.argv[2] ?? join(__dirname, '..', 'fixtures', 'operations');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.graphql'))
  .sort();
const operations = files.map((f) => ({ name: f.replace(/\.graphql$/, ''), body: readFileSync(join(dir, f), 'utf8') }));
process.stdout.write(`${JSON.stringify(manifestOf(operations), null, 2)}\n`);
