import { readFileSync } from 'node:fs';

// Why the database stops a start, in one plain sentence that names the setting to change: the start prints the
// message alone, without a stack trace.

export class DatabaseStartError extends Error {}

/** Why the start gave up: the database did not answer within DATABASE_WAIT_S. `name` says which ("DATABASE_URL postgres://u:***@..."). */
export const gaveUpWaiting = (name: string, waitSeconds: number, reason: string) =>
  `The database did not answer within DATABASE_WAIT_S=${waitSeconds} s: ${name} (${reason}); ` +
  'check that PostgreSQL runs there and that DATABASE_URL names it, or wait longer with a larger DATABASE_WAIT_S.';

/**
 * A database that answers but will not have us, or a URL the driver cannot read: no wait would help, so the start
 * says at once what to fix. Undefined for any other error.
 */
export function refusedStart(error: unknown, name: string): DatabaseStartError | undefined {
  const { code, message } = driverError(error);
  if (error instanceof URIError) return unreadableUrl(name);
  if (/does not support SSL/.test(message ?? '')) {
    return new DatabaseStartError(
      `${name} asks for SSL, which the server does not offer: drop sslmode (or ssl) from DATABASE_URL, or turn SSL on at the server.`,
    );
  }
  switch (code) {
    case '28000': // unknown role, or no pg_hba.conf entry
    case '28P01': // wrong password
      return new DatabaseStartError(`${name} was refused by the server (${message}): correct the user name and password in DATABASE_URL, or create that role.`);
    case '3D000':
      return new DatabaseStartError(`${name} names a database that does not exist: create it (createdb), or name an existing one in DATABASE_URL.`);
    case '42501':
      return new DatabaseStartError(
        `${name} may not create the service's tables (${message}): connect as the database's owner, or grant that role CREATE on its schema.`,
      );
    case 'ERR_INVALID_URL':
      return unreadableUrl(name);
    case undefined: // not an error of the server or the driver
    default:
      return undefined;
  }
}

const unreadableUrl = (name: string) =>
  new DatabaseStartError(
    `${name} is not a URL the driver can read: write it as postgres://user:password@host:5432/database, with special characters in the password percent-encoded.`,
  );

/** TypeORM wraps the driver's error. */
function driverError(error: unknown): { code?: string; message?: string } {
  const { code, message, driverError: inner } = (error ?? {}) as { code?: string; message?: string; driverError?: unknown };
  return inner ? driverError(inner) : { code, message };
}

/**
 * Why the embedded server could not start, when another server holds its data directory or its port. `log` is what
 * PostgreSQL said; `dir` the data directory as configured.
 */
export function embeddedInUse(options: { dir: string; databaseDir: string; port: number; log: string }): DatabaseStartError | undefined {
  const postmaster = livePostmaster(options.databaseDir);
  if (postmaster) {
    const parent = parentOf(postmaster);
    if (parent === 'orphan') {
      return new DatabaseStartError(
        `A PostgreSQL server (pid ${postmaster}) left behind by a Dossier that did not stop still runs on ${options.dir}: stop it (kill -INT ${postmaster}) and start again.`,
      );
    }
    const pid = parent === 'unknown' ? `its PostgreSQL's pid ${postmaster}` : `pid ${parent}`;
    return new DatabaseStartError(
      `Another Dossier is already running on ${options.dir} (${pid}): stop it, or set EMBEDDED_PG_DIR and EMBEDDED_PG_PORT to run a second one beside it.`,
    );
  }
  if (/could not bind|Address already in use/.test(options.log)) {
    return new DatabaseStartError(
      `Port ${options.port} on 127.0.0.1 (EMBEDDED_PG_PORT) is taken, perhaps by another Dossier's embedded PostgreSQL: stop that one, or set EMBEDDED_PG_PORT to a free port.`,
    );
  }
  return undefined;
}

/** The pid in the data directory's postmaster.pid, when that process is alive. */
function livePostmaster(databaseDir: string): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(`${databaseDir}/postmaster.pid`, 'utf8').split('\n')[0]);
  } catch {
    return undefined;
  }
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The Node.js process that started PostgreSQL (the other Dossier), 'orphan' when it has gone, or 'unknown' without /proc. */
function parentOf(pid: number): number | 'orphan' | 'unknown' {
  let ppid: number;
  try {
    // /proc/<pid>/stat: "pid (command) state ppid ...", and the command may hold spaces.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return 'unknown';
  }
  try {
    // Once its Dossier has gone, PostgreSQL belongs to init or to another reaper, which is no Node.js process.
    return readFileSync(`/proc/${ppid}/comm`, 'utf8').trim().startsWith('node') ? ppid : 'orphan';
  } catch {
    return 'orphan';
  }
}
