// API keys from the command line, for the first admin key and for scripts: works on the database directly
// (DATABASE_URL, or the embedded server: the running one, else started for the command).
//   npm run -s keys -- create --name <principal> --role VIEWER|ANALYST|RELEASER|REPORTER|ADMIN --clearance CLEAR|GREEN|AMBER|AMBER_STRICT|RED [--organisation <org>]
//   npm run -s keys -- list
//   npm run -s keys -- revoke --name <name> [--organisation <org>]
// `create` prints the key on stdout, once. Exit codes: 0 done, 2 bad input, 3 database failure.
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { GraphQLError } from 'graphql';
import { loadConfig } from '../config';
import { MARKINGS, type Marking } from '../common/marking';
import { connectDatabase } from '../db/database';
import { ApiKey } from '../modules/identity/api-key.entity';
import { createKey, keyPrincipal } from '../modules/identity/api-key.service';
import { ROLES, type Role } from '../modules/identity/role';

const USAGE =
  'usage: npm run -s keys -- create --name <n> --role <role> --clearance <marking> [--organisation <org>] | list | revoke --name <n> [--organisation <org>]';

class BadInput extends Error {}

function options(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: { name: { type: 'string' }, role: { type: 'string' }, clearance: { type: 'string' }, organisation: { type: 'string' } },
    });
  } catch (error) {
    throw new BadInput(`${(error as Error).message}\n${USAGE}`);
  }
}

async function main() {
  const { positionals, values } = options(process.argv.slice(2));
  const command = positionals[0];
  if (!['create', 'list', 'revoke'].includes(command ?? '')) throw new BadInput(USAGE);
  if (command === 'create') {
    if (!ROLES.includes(values.role as Role)) throw new BadInput(`--role must be one of ${ROLES.join(', ')}`);
    if (!MARKINGS.includes(values.clearance as Marking)) throw new BadInput(`--clearance must be one of ${MARKINGS.join(', ')}`);
    if (!values.name) throw new BadInput('--name is required');
  }
  if (command === 'revoke' && !values.name) throw new BadInput('--name is required');

  const database = await connectDatabase(loadConfig());
  try {
    const em = database.dataSource.manager;
    if (command === 'create') {
      const { key, apiKey } = await createKey(
        em,
        {
          name: values.name!,
          role: values.role as Role,
          clearance: values.clearance as Marking,
          organisation: values.organisation ?? null,
        },
        '',
      );
      console.error(`created ${apiKey.principal}: ${apiKey.role}, clearance ${apiKey.clearance}; the key is shown once:`);
      process.stdout.write(`${key}\n`);
    } else if (command === 'list') {
      for (const k of await em.find(ApiKey, { order: { name: 'ASC' } })) {
        const state = k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active';
        process.stdout.write(`${k.principal}\t${k.prefix}…\t${k.role}\t${k.clearance}\t${state}\n`);
      }
    } else {
      const principal = keyPrincipal(values.name!, values.organisation);
      const result = await em.update(ApiKey, { principal }, { revokedAt: new Date() });
      if (!result.affected) throw new BadInput(`no key ${principal}`);
      console.error(`revoked ${principal}`);
    }
  } finally {
    await database.close();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    const bad = error instanceof BadInput || (error instanceof GraphQLError && error.extensions.code !== 'INTERNAL_SERVER_ERROR');
    console.error(`dossier keys: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(bad ? 2 : 3);
  },
);
