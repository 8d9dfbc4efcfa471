// Migration authoring and drift checks (Prisma through its WebAssembly engine). Resolver type
// generation (./codegen) is left to its command, `npm run codegen`: its plugins are ES modules
// that a CommonJS importer such as Jest cannot load.
export * from './prisma';
