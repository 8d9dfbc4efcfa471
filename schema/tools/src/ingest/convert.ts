import { isoDate, observationKey } from '@bicentennial/subgraph-kit';
import type { InputField } from './introspect';

export interface CellProblem {
  column: string;
  reason: string;
}

const LIST_SEPARATOR = ';';

function scalar(field: InputField, raw: unknown): { value?: unknown; problem?: string } {
  if (field.enumValues) {
    const text = String(raw).trim();
    return field.enumValues.includes(text)
      ? { value: text }
      : { problem: `must be one of ${field.enumValues.join(', ')} (got "${text.slice(0, 40)}")` };
  }
  switch (field.type) {
    case 'Int': {
      const n = typeof raw === 'number' ? raw : Number(String(raw).trim());
      return Number.isSafeInteger(n)
        ? { value: n }
        : { problem: `must be a whole number (got "${String(raw).slice(0, 40)}")` };
    }
    case 'Float': {
      const n = typeof raw === 'number' ? raw : Number(String(raw).trim());
      return Number.isFinite(n) && String(raw).trim() !== ''
        ? { value: n }
        : { problem: `must be a number (got "${String(raw).slice(0, 40)}")` };
    }
    case 'Boolean': {
      if (typeof raw === 'boolean') return { value: raw };
      const text = String(raw).trim().toLowerCase();
      if (text === 'true' || text === 'false') return { value: text === 'true' };
      return { problem: `must be true or false (got "${String(raw).slice(0, 40)}")` };
    }
    case 'Date': {
      const text = String(raw).trim();
      return isoDate(text) ? { value: text } : { problem: `must be a date YYYY-MM-DD (got "${text.slice(0, 40)}")` };
    }
    default:
      return typeof raw === 'object' && raw !== null ? { problem: 'must be text' } : { value: String(raw).trim() };
  }
}

/**
 * One row of a file (CSV cells as text, or a JSON object) turned into the mutation's input,
 * checked against the input type's GraphQL rules: unknown columns, missing required values,
 * numbers, dates, enums and lists (`a;b` in a CSV cell). The subgraph checks the rest.
 */
export function toInput(
  fields: InputField[],
  row: Record<string, unknown>,
): { input?: Record<string, unknown>; problems: CellProblem[] } {
  const problems: CellProblem[] = [];
  const input: Record<string, unknown> = {};
  const known = new Map(fields.map((f) => [f.name, f]));
  for (const column of Object.keys(row)) {
    if (!known.has(column))
      problems.push({
        column,
        reason: `is not a field of this record type (fields: ${fields.map((f) => f.name).join(', ')})`,
      });
  }
  for (const field of fields) {
    const raw = row[field.name];
    const empty = raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '');
    if (empty) {
      if (field.required) problems.push({ column: field.name, reason: 'is required' });
      continue;
    }
    if (field.list) {
      if (!Array.isArray(raw) && typeof raw !== 'string') {
        problems.push({
          column: field.name,
          reason: `must be a list (in a CSV cell: values separated by "${LIST_SEPARATOR}")`,
        });
        continue;
      }
      const items: unknown[] = Array.isArray(raw) ? raw : raw.split(LIST_SEPARATOR).filter((s) => s.trim() !== '');
      const values: unknown[] = [];
      for (const item of items) {
        const result = scalar(field, item);
        if (result.problem) problems.push({ column: field.name, reason: result.problem });
        else values.push(result.value);
      }
      input[field.name] = values;
      continue;
    }
    const result = scalar(field, raw);
    if (result.problem) problems.push({ column: field.name, reason: result.problem });
    else input[field.name] = result.value;
  }
  return problems.length > 0 ? { problems } : { input, problems };
}

/** The natural key the subgraph dedupes on, to catch a record given twice in one file. */
export function naturalKey(input: Record<string, unknown>): string {
  if (typeof input['recordId'] === 'string') return input['recordId'];
  if (typeof input['indicatorId'] === 'string') {
    return observationKey({
      indicatorId: input['indicatorId'],
      period: String(input['period']),
      region: String(input['region']),
      sourceId: String(input['sourceId']),
      status: String(input['status']),
    });
  }
  return JSON.stringify(input);
}
