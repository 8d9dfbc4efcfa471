import { z } from 'zod';

/** A value as published: exact, approximate or a lower bound. */
export const QUALIFIERS = ['EXACT', 'APPROXIMATE', 'AT_LEAST'] as const;

export const qualifierField = z
  .enum(QUALIFIERS, { message: `must be ${QUALIFIERS.join(', ')}` })
  .nullish()
  .transform((v) => v ?? null);

/** The id of a registered source: source ids are kebab-case (`registerPublicHealthSource`). */
export const registeredSourceId = z
  .string()
  .trim()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be the kebab-case id of a registered source')
  .max(100, 'must be at most 100 characters');

export const noteField = z
  .string()
  .trim()
  .max(2000, 'must be at most 2000 characters')
  .nullish()
  .transform((v) => v || null);

/** A non-negative number, optional: null when not published. */
export const optionalAmount = (max: number) =>
  z
    .number({ message: 'must be a number' })
    .finite('must be a finite number')
    .min(0, 'must be 0 or more')
    .max(max, `must be at most ${max.toLocaleString('en-US')}`)
    .nullish()
    .transform((v) => v ?? null);
