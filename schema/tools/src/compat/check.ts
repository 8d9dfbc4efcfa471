import { ChangeType, CriticalityLevel, diff, type Change, type TypeOfChangeType } from '@graphql-inspector/core';
import { coordinatesUsed, invalidOperations } from '../operations/validate';
import { apiSchemaOf, readSupergraph, subgraphsOf } from './supergraph';

/** One change GraphQL Inspector finds between the committed API schema and the new one. */
export interface SchemaChange {
  /** The subgraphs it comes from (see `subgraphsOf`); empty for a change no subgraph declares. */
  subgraphs: string[];
  /** Inspector's path: `Type`, `Type.field`, `Type.field.argument`, `Enum.VALUE`, `@directive`. */
  coordinate: string;
  level: CriticalityLevel;
  /** Inspector's own words (`Field 'owner' was removed from object type 'JointObjective'`). */
  message: string;
  /** Inspector's change type (`FIELD_REMOVED`). */
  type: TypeOfChangeType;
  /** The persisted operations that read the coordinate, by name. */
  operations: string[];
}

/** A persisted operation that the new API schema refuses. */
export interface BrokenOperation {
  name: string;
  errors: string[];
  /** The breaking changes it reads, as `subgraph: coordinate`. */
  causes: string[];
}

export interface CompatibilityReport {
  /** Changes that fail the check: what the committed graph answered, it no longer does. */
  breaking: SchemaChange[];
  /** Dangerous and safe changes (additions, descriptions): printed, never a failure. */
  notes: SchemaChange[];
  brokenOperations: BrokenOperation[];
}

export interface CompatibilityInput {
  /** The baseline: the committed `schema/supergraph.graphql`. */
  committedSupergraphSdl: string;
  /** What the subgraphs' SDL composes to now. */
  composedSupergraphSdl: string;
  /** The persisted operations (the committed manifest's). */
  operations: readonly { name: string; body: string }[];
}

/** Whether a change at `coordinate` concerns what an operation reads. */
function reads(change: Change, used: Set<string>): boolean {
  const path = change.path ?? '';
  if (used.has(path)) return true;
  const [typeName = '', member] = path.split('.');
  // A type that is removed or changes kind, or loses a member or an interface: every read of it.
  if (member === undefined) return used.has(typeName);
  // An enum loses or gains a value: whoever reads or writes the enum.
  if (change.type === ChangeType.EnumValueRemoved || change.type === ChangeType.EnumValueAdded) {
    return used.has(typeName);
  }
  // A field gains a required argument: every selection of the field.
  if (change.type === ChangeType.FieldArgumentAdded) return used.has(path.split('.').slice(0, 2).join('.'));
  return false;
}

/**
 * Compares the API schema of the committed supergraph with the one the subgraphs compose to now
 * (GraphQL Inspector's `diff`), names the subgraph of each change and the persisted operations it
 * touches, and validates every persisted operation against the new API schema.
 */
export async function checkCompatibility(input: CompatibilityInput): Promise<CompatibilityReport> {
  const committed = readSupergraph(input.committedSupergraphSdl);
  const composed = readSupergraph(input.composedSupergraphSdl);
  const before = apiSchemaOf(committed);
  const after = apiSchemaOf(composed);
  const reading = input.operations.map((operation) => ({
    name: operation.name,
    used: coordinatesUsed(before, operation.body),
  }));
  const changes = (await diff(before, after)).map((change): SchemaChange => ({
    subgraphs: change.path ? subgraphsOf(change.path, committed, composed) : [],
    coordinate: change.path ?? '',
    level: change.criticality.level,
    message: change.message,
    type: change.type as TypeOfChangeType,
    operations: reading.filter((o) => reads(change, o.used)).map((o) => o.name),
  }));
  const breaking = changes.filter((c) => c.level === CriticalityLevel.Breaking);
  const brokenOperations = invalidOperations(after, input.operations).map(({ name, errors }) => ({
    name,
    errors,
    causes: breaking
      .filter((c) => c.operations.includes(name))
      .map((c) => `${c.subgraphs.join(', ') || 'supergraph'}: ${c.coordinate}`),
  }));
  return { breaking, notes: changes.filter((c) => c.level !== CriticalityLevel.Breaking), brokenOperations };
}

/** `framework: JointObjective.owner: Field 'owner' was removed … (BREAKING) — used by persisted operations Dashboard, Objective` */
export function describeChange(change: SchemaChange): string {
  const used =
    change.operations.length === 0
      ? ''
      : ` — used by persisted operation${change.operations.length > 1 ? 's' : ''} ${change.operations.join(', ')}`;
  const where = change.coordinate ? `${change.coordinate}: ` : '';
  return `${change.subgraphs.join(', ') || 'supergraph'}: ${where}${change.message} (${change.level})${used}`;
}

/** `persisted operation Dashboard no longer validates: … (after framework: JointObjective.owner)` */
export function describeBrokenOperation(operation: BrokenOperation): string {
  const after = operation.causes.length > 0 ? ` (after ${operation.causes.join('; ')})` : '';
  return `persisted operation ${operation.name} no longer validates: ${operation.errors.join(' ')}${after}`;
}

/** Whether the report fails the check. */
export const isBreaking = (report: CompatibilityReport): boolean =>
  report.breaking.length > 0 || report.brokenOperations.length > 0;
