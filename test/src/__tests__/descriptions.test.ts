import { readFileSync } from 'node:fs';
import { Supergraph } from '@apollo/federation-internals';
import { forApolloGateway } from '@bicentennial/gateway';
import { SUPERGRAPH_PATH } from '@bicentennial/schema';
import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedScalarType,
  buildSchema,
  type GraphQLSchema,
} from 'graphql';

/**
 * Every schema coordinate of `schema` a client can see without a description: types, fields,
 * input fields, arguments and enum values (GraphQL's own introspection types and scalars aside).
 */
export function undescribed(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  const blank = (description: string | null | undefined) => !description || description.trim() === '';
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    if (blank(type.description)) missing.push(type.name);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (blank(field.description)) missing.push(`${type.name}.${field.name}`);
        for (const argument of field.args) {
          if (blank(argument.description)) missing.push(`${type.name}.${field.name}(${argument.name}:)`);
        }
      }
    }
    if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (blank(field.description)) missing.push(`${type.name}.${field.name}`);
      }
    }
    if (isEnumType(type)) {
      for (const value of type.getValues()) if (blank(value.description)) missing.push(`${type.name}.${value.name}`);
    }
  }
  return missing.sort();
}

/** The graph as clients see it (the API schema of the committed supergraph) documents itself whole. */
describe('the composed graph', () => {
  const api = Supergraph.build(forApolloGateway(readFileSync(SUPERGRAPH_PATH, 'utf8')))
    .apiSchema()
    .toGraphQLJSSchema();

  it('describes every type, field, argument and enum value', () => {
    expect(undescribed(api)).toEqual([]);
  });

  it('names exactly what is missing', () => {
    // The walk itself: a schema with gaps lists exactly them.
    const gaps = buildSchema(`
      "Root." type Query { "Documented." a(x: Int): E  b: Int }
      enum E { "Documented." ONE TWO }
    `);
    expect(undescribed(gaps)).toEqual(['E', 'E.TWO', 'Query.a(x:)', 'Query.b']);
  });
});
