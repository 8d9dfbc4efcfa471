import { readSupergraphConfig, subgraphTypeDefs, type SubgraphConfig } from '@bicentennial/schema';
import {
  Kind,
  parse,
  parseType,
  visit,
  type DocumentNode,
  type FieldDefinitionNode,
  type ObjectTypeDefinitionNode,
  type ObjectTypeExtensionNode,
} from 'graphql';
import { composeSupergraph } from '../../compose';

/** A change to one subgraph's SDL (the shared SDL included), made on its syntax tree. */
export type SdlEdit = (document: DocumentNode) => DocumentNode;

function editFields(
  document: DocumentNode,
  typeName: string,
  edit: (fields: readonly FieldDefinitionNode[]) => FieldDefinitionNode[],
): DocumentNode {
  let found = false;
  const onType = (node: ObjectTypeDefinitionNode | ObjectTypeExtensionNode) => {
    if (node.name.value !== typeName) return undefined;
    found = true;
    return { ...node, fields: edit(node.fields ?? []) };
  };
  const edited = visit(document, { ObjectTypeDefinition: onType, ObjectTypeExtension: onType });
  if (!found) throw new Error(`the SDL has no type ${typeName}`);
  return edited;
}

const requireField = (fields: readonly FieldDefinitionNode[], typeName: string, field: string) => {
  if (!fields.some((f) => f.name.value === field)) throw new Error(`the SDL has no field ${typeName}.${field}`);
};

export const removeField =
  (typeName: string, field: string): SdlEdit =>
  (document) =>
    editFields(document, typeName, (fields) => {
      requireField(fields, typeName, field);
      return fields.filter((f) => f.name.value !== field);
    });

export const retypeField =
  (typeName: string, field: string, type: string): SdlEdit =>
  (document) =>
    editFields(document, typeName, (fields) => {
      requireField(fields, typeName, field);
      return fields.map((f) => (f.name.value === field ? { ...f, type: parseType(type) } : f));
    });

/** Adds a field given as SDL (`"Its description." name: Type`). */
export const addField =
  (typeName: string, fieldSdl: string): SdlEdit =>
  (document) => {
    const [definition] = parse(`type ${typeName} { ${fieldSdl} }`).definitions;
    if (definition?.kind !== Kind.OBJECT_TYPE_DEFINITION || !definition.fields?.[0]) throw new Error('not a field');
    const added = definition.fields[0];
    return editFields(document, typeName, (fields) => [...fields, added]);
  };

/**
 * The supergraph of the real subgraphs' SDL files, one of them changed in memory (none when no
 * subgraph is named): nothing is written.
 */
export function composeWith(subgraph?: string, edit?: SdlEdit): string {
  const subgraphs = readSupergraphConfig();
  if (subgraph && !subgraphs.some((s) => s.name === subgraph)) throw new Error(`no subgraph ${subgraph}`);
  const outcome = composeSupergraph(subgraphs, (s: SubgraphConfig) => {
    const typeDefs = subgraphTypeDefs(s.sdlPath);
    return s.name === subgraph && edit ? edit(typeDefs) : typeDefs;
  });
  if (!outcome.supergraphSdl) throw new Error(`composition failed:\n${outcome.errors.join('\n')}`);
  return outcome.supergraphSdl;
}
