import { join } from 'node:path';
import { generateResolverTypes } from '../codegen';

// Run by codegen.test.ts as a child process, because the codegen plugins load ES modules that
// Jest's CommonJS runtime cannot require. Prints the resolver types of the package in argv[2]
// (its SDL in src/schema.graphql, its codegen.json), or the error and exit code 1.
const packageDir = process.argv[2] ?? '';
const config = {
  name: 'probe',
  routingUrl: 'http://127.0.0.1:4999/graphql',
  port: 4999,
  sdlPath: join(packageDir, 'src', 'schema.graphql'),
  packageDir,
};
generateResolverTypes(config).then(
  (output) => process.stdout.write(output),
  (error: unknown) => {
    process.stderr.write(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  },
);
