// How SWC compiles the TypeScript sources, for the service and tools (scripts/register.js) and for jest alike:
// CommonJS, with the legacy decorators and the decorator metadata type-graphql and TypeORM read at run time.
module.exports = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
};
