import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { NODE_TS } from './support/node-ts';
import { logEntry } from './support/service-process';

// The guard src/main.ts installs first, tried in a process of its own.
const root = join(__dirname, '..');

/** The process's exit code, its log entries (JSON lines on stdout, parsed) and its other lines. */
function runGuarded(trouble: string): Promise<{ code: number; logged: Array<{ level: string; msg: string; err?: { message: string } }>; said: string[] }> {
  const script = `
    require('./src/process-guard').installProcessGuard();
    ${trouble}
    setTimeout(() => { console.log('still serving'); process.exit(0); }, 300);
  `;
  return new Promise((resolve) => {
    execFile(process.execPath, [...NODE_TS, '-e', script], { cwd: root }, (error, stdout, stderr) => {
      const lines = [...stdout.split('\n'), ...stderr.split('\n')].filter(Boolean);
      const logged = lines.map(logEntry).filter((e) => e !== undefined) as Array<{ level: string; msg: string; err?: { message: string } }>;
      resolve({ code: error ? Number(error.code) : 0, logged, said: lines.filter((l) => !logEntry(l)) });
    });
  });
}

const lost = `Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })`;

test('a rejection nobody handled is logged and the process keeps serving', async () => {
  const result = await runGuarded(`Promise.reject(${lost}); Promise.reject(new Error('something else'));`);
  expect(result).toMatchObject({ code: 0, said: ['still serving'] });
  expect(result.logged).toEqual([
    expect.objectContaining({
      level: 'error',
      msg: 'unhandled rejection (the service keeps running)',
      err: expect.objectContaining({ message: 'connect ECONNREFUSED 127.0.0.1:5432' }),
    }),
    expect.objectContaining({
      level: 'error',
      msg: 'unhandled rejection (the service keeps running)',
      err: expect.objectContaining({ message: 'something else' }),
    }),
  ]);
});

test('an uncaught database error is logged and the process keeps serving; any other uncaught exception ends it', async () => {
  const database = await runGuarded(`setImmediate(() => { throw ${lost}; });`);
  expect(database).toMatchObject({ code: 0, said: ['still serving'] });
  expect(database.logged).toEqual([expect.objectContaining({ level: 'error', msg: 'uncaught database error (the service keeps running)' })]);
  const other = await runGuarded(`setImmediate(() => { throw new TypeError('a bug'); });`);
  expect(other).toMatchObject({ code: 1, said: [] });
  expect(other.logged).toEqual([
    expect.objectContaining({ level: 'fatal', msg: 'uncaught exception: exiting', err: expect.objectContaining({ message: 'a bug' }) }),
  ]);
});
