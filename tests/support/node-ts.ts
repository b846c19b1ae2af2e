import { join } from 'node:path';

/** Node.js options that run a TypeScript file the way `npm start` does (scripts/register.js). */
export const NODE_TS = ['-r', join(__dirname, '..', '..', 'scripts', 'register.js')];
