import { z } from 'zod';
import { RELEASABILITY } from './observations';

/** An agency's own record identifier: 1–100 printable characters without spaces. */
export const recordIdField = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters')
  .regex(/^[\x21-\x7e]+$/, 'must be printable characters without spaces');

/** The id of a source registered in the subgraph (checked against the database separately). */
export const sourceIdField = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');

export const statusField = z
  .enum(['PROVISIONAL', 'FINAL'], { message: 'must be PROVISIONAL or FINAL' })
  .nullish()
  .transform((v) => v ?? 'FINAL');

export const releasabilityField = z
  .enum(RELEASABILITY, { message: 'must be US, MX or BOTH' })
  .nullish()
  .transform((v) => v ?? 'BOTH');

const EARLIEST = new Date(Date.UTC(2000, 0, 1));

/** A day of an event: a real date, not before 2000 and not in the future. */
export const eventDate = z
  .date({ message: 'must be a date YYYY-MM-DD' })
  .refine((d) => !Number.isNaN(d.getTime()), 'must be a date YYYY-MM-DD')
  .refine((d) => d >= EARLIEST, 'must not be before 2000-01-01')
  .refine((d) => d.getTime() <= Date.now(), 'must not be in the future');

/** A count of people or things: a whole number, 0 or more, at most `max`. */
export const count = (max: number) =>
  z
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(0, 'must be 0 or more')
    .max(max, `must be at most ${max}`);

/** Same calendar day (dates from the database come back as UTC midnights). */
export const sameDay = (a: Date, b: Date) => a.toISOString().slice(0, 10) === b.toISOString().slice(0, 10);
