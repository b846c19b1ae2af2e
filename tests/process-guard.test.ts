import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { NODE_TS } from './support/node-ts';

// The guard src/main.ts installs first, tried in a process of its own.
const root = join(__dirname, '..');

function runGuarded(trouble: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const script = `
    require('./src/process-guard').installProcessGuard();
    ${trouble}
    setTimeout(() => { console.log('still serving'); process.exit(0); }, 300);
  `;
  return new Promise((resolve) => {
    execFile(process.execPath, [...NODE_TS, '-e', script], { cwd: root }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

const lost = `Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })`;

test('a rejection nobody handled is logged and the process keeps serving', async () => {
  const result = await runGuarded(`Promise.reject(${lost}); Promise.reject(new Error('something else'));`);
  expect(result).toMatchObject({ code: 0, stdout: 'still serving\n' });
  expect(result.stderr).toContain('unhandled rejection (the service keeps running): Error: connect ECONNREFUSED');
  expect(result.stderr).toContain('unhandled rejection (the service keeps running): Error: something else');
});

test('an uncaught database error is logged and the process keeps serving; any other uncaught exception ends it', async () => {
  const database = await runGuarded(`setImmediate(() => { throw ${lost}; });`);
  expect(database).toMatchObject({ code: 0, stdout: 'still serving\n' });
  expect(database.stderr).toContain('uncaught database error (the service keeps running)');
  const other = await runGuarded(`setImmediate(() => { throw new TypeError('a bug'); });`);
  expect(other).toMatchObject({ code: 1, stdout: '' });
  expect(other.stderr).toContain('uncaught exception: exiting');
});
