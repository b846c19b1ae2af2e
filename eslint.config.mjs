// @ts-check
// Lint: ESLint's and typescript-eslint's recommended rules, type-aware (the TypeScript program of tsconfig.json), with
// the rules that catch what the compiler lets through: a promise nobody waits for, a switch that misses a case, an `any`.
// Layout is Prettier's business: eslint-config-prettier turns off every rule that would fight it.
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier/flat';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['dist/', 'coverage/', '.data/'] },
  eslint.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      // An async function without await is how this code meets an interface that wants a promise (Apollo Server's
      // plugin hooks and cache, stop and close handles); the rule would have each rewritten around Promise.resolve.
      '@typescript-eslint/require-await': 'off',
      // Leaving out a property by destructuring it (`{ dropped: _, ...rest }`) is how a copy without it is written.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true, varsIgnorePattern: '^_', argsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests read GraphQL responses as untyped JSON (the test server's `data` is `any`) and assert on their shape;
    // typing every response would copy the schema into the tests. Every other rule holds here.
    files: ['tests/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Loaded when first needed, to keep the start short: most of the service once the embedded PostgreSQL is starting
    // (the two overlap), the GraphiQL bundle on the first visit, Redis only when configured. Typed with `typeof import`.
    files: ['src/main.ts', 'src/db/database.ts', 'src/server/graphiql.ts', 'src/server/rate-limit.ts', 'src/server/response-cache/shared-store.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The few JavaScript files are CommonJS tool code outside the TypeScript program (configuration, the compile
    // hook scripts/register.js): plain rules only.
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { module: 'readonly', require: 'readonly', __dirname: 'readonly', process: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The benchmark (npm run bench) is Node scripts run as ES modules, outside the service.
    files: ['scripts/bench/**/*.mjs'],
    languageOptions: {
      globals: { console: 'readonly', fetch: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly' },
    },
  },
  prettier,
);
