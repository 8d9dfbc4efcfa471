import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { badUserInput } from '@bicentennial/service';
import {
  BREAK,
  Kind,
  visit,
  type ArgumentNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLError,
  type OperationDefinitionNode,
  type ValueNode,
} from 'graphql';

const NUL = '\u0000';

/** What every refusal says, after the argument path at fault. */
export const NUL_INPUT_MESSAGE = 'a text may not contain the NUL character (U+0000)';

/**
 * The path of the first argument value of `operation` that holds U+0000 in a string (inline
 * literals, and the variables it is given: `variables`, else a variable's default), at any depth
 * of input objects and lists and inside custom scalars' raw input (a JSON object's keys too);
 * undefined when there is none. The path starts at the argument's name and goes down by input
 * field and list position: `recordId`, `input.note`, `rows.2.note`; a directive's argument is
 * `@name.argument`. Only what the operation reaches is read (its own selections and the fragments
 * it spreads), in document order, so that the error names the first place a reader would find.
 */
export function nulArgumentPath(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>> | undefined,
): string | undefined {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const defaults = new Map<string, ValueNode>();
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) defaults.set(definition.variable.name.value, definition.defaultValue);
  }

  const inJson = (value: unknown, path: string): string | undefined => {
    if (typeof value === 'string') return value.includes(NUL) ? path : undefined;
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) {
        const found = inJson(item, `${path}.${index}`);
        if (found) return found;
      }
      return undefined;
    }
    if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        // A key that holds NUL cannot be named in a path: the object that has it is.
        if (key.includes(NUL)) return path;
        const found = inJson(item, `${path}.${key}`);
        if (found) return found;
      }
    }
    return undefined;
  };
  const inLiteral = (value: ValueNode, path: string): string | undefined => {
    switch (value.kind) {
      case Kind.STRING:
        return value.value.includes(NUL) ? path : undefined;
      case Kind.LIST:
        for (const [index, item] of value.values.entries()) {
          const found = inLiteral(item, `${path}.${index}`);
          if (found) return found;
        }
        return undefined;
      case Kind.OBJECT:
        for (const field of value.fields) {
          const found = inLiteral(field.value, `${path}.${field.name.value}`);
          if (found) return found;
        }
        return undefined;
      case Kind.VARIABLE: {
        const name = value.name.value;
        if (variables && Object.hasOwn(variables, name)) return inJson(variables[name], path);
        const fallback = defaults.get(name);
        return fallback ? inLiteral(fallback, path) : undefined;
      }
      case Kind.INT:
      case Kind.FLOAT:
      case Kind.BOOLEAN:
      case Kind.ENUM:
      case Kind.NULL:
        // No text in these (an enum value is a name, never NUL).
        return undefined;
    }
  };
  const inArguments = (args: readonly ArgumentNode[] | undefined, prefix: string): string | undefined => {
    for (const argument of args ?? []) {
      const found = inLiteral(argument.value, `${prefix}${argument.name.value}`);
      if (found) return found;
    }
    return undefined;
  };

  let found: string | undefined;
  const seen = new Set<string>();
  // Each fragment is read once, where the operation first spreads it.
  const read = (node: OperationDefinitionNode | FragmentDefinitionNode): void => {
    visit(node, {
      Field: (field) => {
        found ??= inArguments(field.arguments, '');
        return found ? BREAK : undefined;
      },
      Directive: (directive) => {
        found ??= inArguments(directive.arguments, `@${directive.name.value}.`);
        return found ? BREAK : undefined;
      },
      FragmentSpread: (spread) => {
        const fragment = fragments.get(spread.name.value);
        if (fragment && !seen.has(fragment.name.value)) {
          seen.add(fragment.name.value);
          read(fragment);
        }
        return found ? BREAK : undefined;
      },
    });
  };
  read(operation);
  return found;
}

/** The refusal of an operation with a NUL in `field` (an argument path, as `nulArgumentPath` gives it). */
export function nulInputError(field: string): GraphQLError {
  const error = badUserInput(`${field}: ${NUL_INPUT_MESSAGE}`, field);
  // 400, as Apollo Server answers the other BAD_USER_INPUT met before execution (a variable its
  // type refuses): the gateway relays a 4xx with GraphQL errors to the client as they are.
  error.extensions['http'] = { status: 400 };
  return error;
}

/**
 * Refuses, before any resolver runs, an operation whose argument values hold U+0000: PostgreSQL
 * (and PGlite) can neither store nor compare it (`invalid byte sequence for encoding "UTF8":
 * 0x00`), so it would otherwise surface as an INTERNAL_SERVER_ERROR from whichever query met it
 * first. The answer is one BAD_USER_INPUT naming the argument path (`extensions.field`), HTTP 400.
 * Other control characters (a tab, U+0001) are text PostgreSQL holds, and pass.
 *
 * Why `didResolveOperation`: it is the one hook that has the validated document, the operation
 * to run and its raw variables together, before execution coerces them. A validation rule sees
 * no variables (and Apollo Server caches validation by document), so it would still need this
 * check beside it; a check in each resolver or scalar would have to be repeated in every
 * subgraph and would miss the next argument added. `createSubgraphServer` installs it after
 * `enforceAccess`, so a caller refused a field is told that first.
 */
export function refuseNulInput<C extends BaseContext>(): ApolloServerPlugin<C> {
  return {
    requestDidStart: () =>
      Promise.resolve({
        didResolveOperation: ({ document, operation, request }) => {
          // No operation (an unknown or missing operationName): graphql-js refuses it before any resolver.
          const field = operation ? nulArgumentPath(document, operation, request.variables) : undefined;
          return field === undefined ? Promise.resolve() : Promise.reject(nulInputError(field));
        },
      }),
  };
}
