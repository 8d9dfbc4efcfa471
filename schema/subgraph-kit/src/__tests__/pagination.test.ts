import { decodeCursor, encodeCursor, pageWindow, type ListOrder } from '../records/pagination';

const ID = '0b6a4a3e-6c1f-4c9e-9d7a-2f1f3c6b8e10';
const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const refused = (cursor: string, type: Parameters<typeof decodeCursor>[1]) => {
  try {
    decodeCursor(cursor, type, { field: 'F' });
  } catch (error) {
    return (error as { extensions?: Record<string, unknown> }).extensions;
  }
  return undefined;
};

describe('a cursor', () => {
  it('gives back the position it was made from, for each sort column type', () => {
    expect(decodeCursor(encodeCursor('F', new Date('2024-03-01T00:00:00Z'), ID), 'date', { field: 'F' })).toEqual([
      '2024-03-01T00:00:00.000Z',
      ID,
    ]);
    expect(decodeCursor(encodeCursor('F', '2024-03-01', ID), 'date')).toEqual(['2024-03-01', ID]);
    expect(
      decodeCursor(encodeCursor('F', new Date('2024-03-01T12:30:00Z'), ID), 'timestamptz', { field: 'F' }),
    ).toEqual(['2024-03-01T12:30:00.000Z', ID]);
    expect(decodeCursor(encodeCursor('F', 'Nogales', ID), 'text')).toEqual(['Nogales', ID]);
    expect(decodeCursor(encodeCursor('F', 12.5, ID), 'float8')).toEqual([12.5, ID]);
    expect(decodeCursor(encodeCursor('F', 42, ID), 'int4')).toEqual([42, ID]);
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

const ORDER: ListOrder<'SEIZED_ON' | 'QUANTITY', 'seizedOn' | 'quantity'> = {
  fields: { SEIZED_ON: { column: 'seizedOn', type: 'date' }, QUANTITY: { column: 'quantity', type: 'float8' } },
  default: 'SEIZED_ON',
};
const failure = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return { message: (error as Error).message, ...(error as { extensions?: Record<string, unknown> }).extensions };
  }
  return undefined;
};

describe('a page window', () => {
  it('pages forwards 20 newest first on the default field when nothing is given', () => {
    expect(pageWindow({}, ORDER)).toEqual({
      size: 20,
      forward: true,
      field: 'SEIZED_ON',
      column: 'seizedOn',
      type: 'date',
      descending: true,
      after: null,
      before: null,
    });
  });

  it('pages backwards with last, in the order and direction asked for', () => {
    const before = encodeCursor('QUANTITY', 12.5, ID);
    expect(pageWindow({ last: 5, before, orderBy: { field: 'QUANTITY', direction: 'ASC' } }, ORDER)).toMatchObject({
      size: 5,
      forward: false,
      column: 'quantity',
      descending: false,
      before: [12.5, ID],
    });
  });

  it('takes a cursor of the old form ([sort, id]) as a position in the default order only', () => {
    const old = forged(['2024-03-01', ID]);
    expect(pageWindow({ after: old }, ORDER).after).toEqual(['2024-03-01', ID]);
    expect(
      failure(() => pageWindow({ after: forged([12.5, ID]), orderBy: { field: 'QUANTITY' } }, ORDER)),
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it.each([
    ['first and last together', { first: 2, last: 2 }, 'last', /not both/],
    ['last of 0', { last: 0 }, 'last', /last must be between 1 and 100/],
    ['first of 101', { first: 101 }, 'first', /first must be between 1 and 100/],
    [
      'a cursor of another order',
      { after: encodeCursor('QUANTITY', 3, ID) },
      'after',
      /order QUANTITY, not of SEIZED_ON/,
    ],
    ['a forged before', { before: forged(['x', 'y']) }, 'before', /before is not a cursor/],
    ['a field the list has no order for', { orderBy: { field: 'PRICE' } }, 'orderBy', /cannot be ordered by PRICE/],
  ])('refuses %s as BAD_USER_INPUT naming the argument', (_why, args, field, message) => {
    const refusal = failure(() => pageWindow(args, ORDER));
    expect(refusal).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(refusal?.message).toMatch(message);
  });
});
