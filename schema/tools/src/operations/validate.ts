import {
  getNamedType,
  isAbstractType,
  isEnumType,
  parse,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';

/** An operation that the schema refuses, with graphql-js's reasons. */
export interface InvalidOperation {
  name: string;
  errors: string[];
}

/**
 * The operations (name and body) that do not validate against `schema` (graphql-js's full set of
 * validation rules: what any gateway would refuse before running them).
 */
export function invalidOperations(
  schema: GraphQLSchema,
  operations: readonly { name: string; body: string }[],
): InvalidOperation[] {
  const invalid: InvalidOperation[] = [];
  for (const operation of operations) {
    let document: DocumentNode;
    try {
      document = parse(operation.body);
    } catch (error) {
      invalid.push({ name: operation.name, errors: [(error as Error).message] });
      continue;
    }
    const errors = validate(schema, document);
    if (errors.length > 0) invalid.push({ name: operation.name, errors: errors.map((e) => e.message) });
  }
  return invalid;
}

/**
 * The schema coordinates an operation reads, as GraphQL Inspector names them: the types it
 * touches (`JointObjective`), the fields it selects (`JointObjective.owner`, and on every possible
 * type when selected through an interface or union), the arguments it passes
 * (`Query.objective.id`), the input fields and enum values it writes literally. Read against the
 * schema the operation was written for; parts that schema does not know are left out.
 */
export function coordinatesUsed(schema: GraphQLSchema, body: string): Set<string> {
  const used = new Set<string>();
  const typeInfo = new TypeInfo(schema);
  visit(
    parse(body),
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (!parent || !field) return;
        used.add(parent.name);
        used.add(`${parent.name}.${node.name.value}`);
        if (isAbstractType(parent)) {
          for (const possible of schema.getPossibleTypes(parent)) used.add(`${possible.name}.${node.name.value}`);
        }
        used.add(getNamedType(field.type).name);
      },
      Argument(node) {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (parent && field && typeInfo.getArgument()) used.add(`${parent.name}.${field.name}.${node.name.value}`);
      },
      ObjectField(node) {
        const input = typeInfo.getParentInputType();
        if (input) used.add(`${getNamedType(input).name}.${node.name.value}`);
      },
      EnumValue(node) {
        const type = typeInfo.getInputType();
        const named = type && getNamedType(type);
        if (named && isEnumType(named)) used.add(`${named.name}.${node.value}`);
      },
      VariableDefinition() {
        const type = typeInfo.getInputType();
        if (type) used.add(getNamedType(type).name);
      },
      InlineFragment() {
        const type = typeInfo.getType();
        if (type) used.add(getNamedType(type).name);
      },
      FragmentDefinition() {
        const type = typeInfo.getType();
        if (type) used.add(getNamedType(type).name);
      },
    }),
  );
  return used;
}
