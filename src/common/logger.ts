import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Credentials that must never reach the log, whatever a message or an error carries: API keys (`dsk_...`), JWTs
 * (three base64url parts, the first a JSON header) and bearer credentials of any form.
 */
const SECRETS = /\bdsk_[A-Za-z0-9_-]+|\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*|\b(Bearer|Basic)\s+[^\s"\\]+/g;

export const scrubSecrets = (line: string) =>
  line.replace(SECRETS, (found) => (found.startsWith('Bearer') || found.startsWith('Basic') ? `${found.split(/\s/)[0]} [redacted]` : '[redacted]'));

/** Fields of a pg error that name the statement's place, never its values (`detail` quotes the row's). */
const PG_FIELDS = ['code', 'severity', 'constraint', 'table', 'column', 'routine'] as const;

/**
 * Errors as logged: type, message, code, stack, and the SQL text of a failed statement, but never its parameters
 * (TypeORM's QueryFailedError carries them, and they may hold classified values) nor pg's `detail`.
 */
export function errorFields(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const fields: Record<string, unknown> = { type: error.constructor?.name ?? 'Error', message: error.message, stack: error.stack };
  const source = error as unknown as Record<string, unknown>;
  const driver = (source.driverError ?? source) as Record<string, unknown>;
  for (const name of PG_FIELDS) if (typeof driver[name] === 'string') fields[name] = driver[name];
  if (typeof source.query === 'string') fields.sql = source.query;
  if (error.cause !== undefined) fields.cause = errorFields(error.cause);
  return fields;
}

const standardOut = pino.destination({ dest: 1, sync: false });
let destination: DestinationStream = standardOut;

/**
 * The service's one logger: JSON lines on standard output (pino), at LOG_LEVEL. Every line passes through
 * `scrubSecrets` on its way out; errors go under `err` through `errorFields`.
 */
export const logger: Logger = pino(
  {
    level: 'info',
    base: { service: 'dossier' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    serializers: { err: errorFields },
  },
  { write: (line: string) => destination.write(scrubSecrets(line)) },
);

/** Sends the log lines elsewhere until the returned function is called (tests read them so). */
export function logTo(stream: DestinationStream): () => void {
  const previous = destination;
  destination = stream;
  return () => {
    destination = previous;
  };
}
