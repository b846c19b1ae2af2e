// Runs the TypeScript sources on Node.js: `node -r ./scripts/register.js src/main.ts`.
// SWC compiles each .ts file the first time it is loaded (with the options jest uses, scripts/swc-options.js), and
// the output is kept in node_modules/.cache/dossier-swc, one file per source, stamped with a hash of the source, its
// path, the compiler's version and its options. A later start whose stamp matches skips the compiler, which takes far
// longer to load than the whole service; an edited file no longer matches and is compiled again, so nothing stale runs.
// The output carries its source map: NODE_OPTIONS=--enable-source-maps makes stack traces name TypeScript lines (it
// slows the start by a quarter, so it is not the default).
'use strict';
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const swcOptions = require('./swc-options');

const CACHE_DIR = path.join(__dirname, '..', 'node_modules', '.cache', 'dossier-swc');
const SWC_VERSION = JSON.parse(fs.readFileSync(path.join(path.dirname(require.resolve('@swc/core')), 'package.json'), 'utf8')).version;
const SALT = `${SWC_VERSION}\n${JSON.stringify(swcOptions)}\n`;
const sha256 = (text) => createHash('sha256').update(text).digest('hex');

let swc; // loaded only when something must be compiled

function compile(source, filename) {
  const stamp = `//${sha256(SALT + filename + '\n' + source)}\n`;
  const cached = path.join(CACHE_DIR, `${sha256(filename).slice(0, 40)}.js`);
  try {
    const code = fs.readFileSync(cached, 'utf8');
    if (code.startsWith(stamp)) return code.slice(stamp.length);
  } catch {
    // not compiled yet
  }
  swc ??= require('@swc/core');
  const { code } = swc.transformSync(source, { ...swcOptions, filename, sourceMaps: 'inline', swcrc: false, configFile: false });
  store(cached, stamp + code);
  return code;
}

/** Written aside and renamed, so a process reading at the same time sees the old file or the new one, never half. */
function store(file, content) {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    fs.writeFileSync(temporary, content);
    fs.renameSync(temporary, file);
  } catch {
    // A read-only cache (an unprivileged user in the container, say) only means compiling at each start.
    fs.rmSync(temporary, { force: true });
  }
}

require.extensions['.ts'] = (module, filename) => module._compile(compile(fs.readFileSync(filename, 'utf8'), filename), filename);

// `node scripts/register.js src ...` compiles every .ts file of the folders or files given ahead of time (the image).
if (require.main === module) {
  const below = (target) => (fs.statSync(target).isDirectory() ? fs.readdirSync(target, { recursive: true }).map((file) => path.join(target, file)) : [target]);
  for (const file of process.argv.slice(2).flatMap(below)) {
    if (file.endsWith('.ts') && !file.endsWith('.d.ts')) compile(fs.readFileSync(file, 'utf8'), path.resolve(file));
  }
}
