import { randomUUID } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ConfigError } from '../config';

// Asking a running Dossier service from the command line (npm run brief, npm run import): one GraphQL request as the
// identity of DOSSIER_API_KEY. Exit codes: 2 bad input or credentials, 3 service or database failure.

export class ExitError extends Error {
  constructor(
    message: string,
    readonly code: 2 | 3,
  ) {
    super(message);
  }
}

// Only a few error codes are the caller's fault; anything else is the service's.
export const CALLER_ERRORS = new Set([
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'NOT_FOUND',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
]);

export async function request<T>(url: string, key: string | undefined, query: string, variables: Record<string, unknown>): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...(key ? { authorization: `Bearer ${key}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
  } catch (error) {
    throw new ExitError(`cannot reach the Dossier service at ${url}: ${(error as Error & { cause?: Error }).cause?.message ?? (error as Error).message}`, 3);
  }
  let body: { data?: T; errors?: Array<{ message: string; extensions?: { code?: string } }> };
  try {
    body = (await response.json()) as typeof body;
  } catch {
    throw new ExitError(`the service at ${url} answered HTTP ${response.status} without a GraphQL response`, 3);
  }
  const error = body.errors?.[0];
  if (error) throw exitErrorOf(error);
  if (!body.data) throw new ExitError(`the service at ${url} answered HTTP ${response.status} without data`, 3);
  return body.data;
}

/** A GraphQL error of the service as the command's failure: 2 when it is the caller's, else 3. */
export const exitErrorOf = (error: { message: string; extensions?: { code?: string } }) =>
  new ExitError(`${error.extensions?.code ?? 'ERROR'}: ${error.message}`, CALLER_ERRORS.has(error.extensions?.code ?? '') ? 2 : 3);

/** Runs a command's `main` and exits with its code: 0 done, 2 the caller's mistake, 3 the service's failure. */
export function runCommand(name: string, main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      if (error instanceof ExitError) {
        console.error(`dossier ${name}: ${error.message}`);
        process.exit(error.code);
      }
      console.error(`dossier ${name}: ${error instanceof ConfigError ? error.message : String(error)}`);
      process.exit(error instanceof ConfigError ? 2 : 3);
    },
  );
}

/**
 * Writes the whole file or nothing (`text` whole, in pieces or as a stream): a reader of `file` never sees half an output, and a
 * failed run leaves it as it was.
 */
export async function writeAtomically(file: string, text: string | Iterable<string> | AsyncIterable<string | Uint8Array>): Promise<void> {
  const temporary = join(dirname(file), `.${basename(file)}.${randomUUID()}.tmp`);
  try {
    await writeFile(temporary, text, { flag: 'wx' });
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    if (error instanceof ExitError) throw error;
    throw new ExitError(`cannot write ${file}: ${(error as Error).message}`, 2);
  }
}
