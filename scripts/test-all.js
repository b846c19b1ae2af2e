// npm test after the type check: the lint and the test suite side by side, since the suite mostly waits (on
// PostgreSQL, on the service's child processes) while the lint keeps a core busy. Fails when either fails; the
// lint's output is printed when it ends, whole, so it does not interleave with jest's.
'use strict';
const { spawn } = require('node:child_process');

const lint = spawn('npm', ['run', '-s', 'lint'], { stdio: ['ignore', 'pipe', 'pipe'] });
let lintOutput = '';
lint.stdout.on('data', (chunk) => (lintOutput += chunk));
lint.stderr.on('data', (chunk) => (lintOutput += chunk));
const lintDone = new Promise((resolve) => lint.on('close', (code) => resolve(code ?? 1)));

const jest = spawn(process.execPath, [require.resolve('jest/bin/jest'), ...process.argv.slice(2)], { stdio: 'inherit' });
const jestDone = new Promise((resolve) => jest.on('close', (code) => resolve(code ?? 1)));

Promise.all([lintDone, jestDone]).then(([lintCode, jestCode]) => {
  process.stdout.write(lintCode === 0 ? 'lint: eslint and prettier find nothing\n' : `lint failed:\n${lintOutput}`);
  process.exit(lintCode || jestCode);
});
