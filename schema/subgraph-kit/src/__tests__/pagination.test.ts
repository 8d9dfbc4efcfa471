import { decodeCursor, encodeCursor } from '../records/pagination';

const ID = '0b6a4a3e-6c1f-4c9e-9d7a-2f1f3c6b8e10';
const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const refused = (cursor: string, type: Parameters<typeof decodeCursor>[1]) => {
  try {
    decodeCursor(cursor, type);
  } catch (error) {
    return (error as { extensions?: Record<string, unknown> }).extensions;
  }
  return undefined;
};

describe('a cursor', () => {
  it('gives back the position it was made from, for each sort column type', () => {
    expect(decodeCursor(encodeCursor(new Date('2024-03-01T00:00:00Z'), ID), 'date')).toEqual([
      '2024-03-01T00:00:00.000Z',
      ID,
    ]);
    expect(decodeCursor(encodeCursor('2024-03-01', ID), 'date')).toEqual(['2024-03-01', ID]);
    expect(decodeCursor(encodeCursor(new Date('2024-03-01T12:30:00Z'), ID), 'timestamptz')).toEqual([
      '2024-03-01T12:30:00.000Z',
      ID,
    ]);
    expect(decodeCursor(encodeCursor('Nogales', ID), 'text')).toEqual(['Nogales', ID]);
    expect(decodeCursor(encodeCursor(12.5, ID), 'float8')).toEqual([12.5, ID]);
    expect(decodeCursor(encodeCursor(42, ID), 'int4')).toEqual([42, ID]);
  });

  it.each([
    ['a number for a date', forged([20240301, ID]), 'date'],
    ['a day that does not exist', forged(['2023-02-29', ID]), 'date'],
    ['an hour that does not exist', forged(['2024-03-01T24:30:00.000Z', ID]), 'timestamptz'],
    ['a number for text', forged([7, ID]), 'text'],
    ['text for a number', forged(['12.5', ID]), 'float8'],
    ['a fraction for an integer', forged([1.5, ID]), 'int4'],
    ['an integer past int4', forged([2 ** 31, ID]), 'int4'],
    ['a number for the id', forged(['Nogales', 7]), 'text'],
  ] as const)('refuses %s as BAD_USER_INPUT naming after', (_why, cursor, type) => {
    expect(refused(cursor, type)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });
});
