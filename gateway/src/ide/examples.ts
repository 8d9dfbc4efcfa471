import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { IDE_DIR } from './build';

/** The example operations the IDE opens as tabs: one named operation per `.graphql` file. */
export const EXAMPLES_DIR = join(IDE_DIR, 'examples');

export interface IdeExample {
  /** The operation's name. */
  name: string;
  /** query or mutation. */
  type: 'query' | 'mutation' | 'subscription';
  /** The file's leading `#` comment lines, joined. */
  description: string;
  /** The whole file, as the tab shows it. */
  query: string;
  /** The sibling `<file>.json`, pretty-printed, when there is one. */
  variables: string | null;
}

/**
 * Every example in EXAMPLES_DIR, in file-name order. A file must hold exactly one named
 * operation and its variables file must be JSON: anything else throws, naming the file (the
 * persisted-operations check runs these against the schema in `npm test`).
 */
export function readExamples(dir: string = EXAMPLES_DIR): IdeExample[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => {
      const query = readFileSync(join(dir, file), 'utf8');
      const operations = parse(query).definitions.filter(
        (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
      );
      const operation = operations[0];
      if (operations.length !== 1 || !operation?.name) {
        throw new Error(`IDE example ${file} must hold exactly one named operation`);
      }
      const variablesFile = join(dir, file.replace(/\.graphql$/, '.json'));
      let variables: string | null = null;
      if (existsSync(variablesFile)) {
        try {
          variables = JSON.stringify(JSON.parse(readFileSync(variablesFile, 'utf8')), null, 2);
        } catch (error) {
          throw new Error(
            `IDE example variables ${file.replace(/\.graphql$/, '.json')} are not JSON: ${(error as Error).message}`,
          );
        }
      }
      const lines = query.split('\n');
      const leading = lines.slice(
        0,
        Math.max(
          0,
          lines.findIndex((line) => !line.startsWith('#')),
        ),
      );
      const description = leading
        .map((line) => line.replace(/^#\s?/, ''))
        .join(' ')
        .trim();
      return { name: operation.name.value, type: operation.operation, description, query, variables };
    });
}
