// @ts-check
// Prettier's defaults, but for the code's single quotes and long lines: at 160 columns the existing code changes least.
/** @type {import('prettier').Config} */
export default {
  printWidth: 160,
  singleQuote: true,
  trailingComma: 'all',
  // Compose files quote their strings with double quotes.
  overrides: [{ files: '*.{yml,yaml}', options: { singleQuote: false } }],
};
