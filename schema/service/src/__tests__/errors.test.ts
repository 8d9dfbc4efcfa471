import { GraphQLError } from 'graphql';
import pino from 'pino';
import { Writable } from 'node:stream';
import { badUserInput, createFormatError } from '../errors';

describe('createFormatError', () => {
  const logged: string[] = [];
  const logger = pino(
    { level: 'error' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        logged.push(chunk.toString());
        done();
      },
    }),
  );
  const format = createFormatError(logger);

  it('passes errors raised on purpose, with their code and without a stack trace', () => {
    const error = badUserInput('"x" is not an objective id', 'id');
    expect(
      format(
        { message: error.message, extensions: { code: 'BAD_USER_INPUT', field: 'id', stacktrace: ['at …'] } },
        error,
      ),
    ).toEqual({
      message: '"x" is not an objective id',
      extensions: { code: 'BAD_USER_INPUT', field: 'id' },
    });
  });

  it('hides anything else behind INTERNAL_SERVER_ERROR and logs the detail', () => {
    const leak = new GraphQLError('relation "Observation" does not exist at /srv/app/x.ts', {
      originalError: new Error('relation "Observation" does not exist'),
      path: ['objective'],
    });
    expect(
      format({ message: leak.message, path: ['objective'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }, leak),
    ).toEqual({
      message: 'Internal server error',
      path: ['objective'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(logged.join('')).toContain('relation \\"Observation\\" does not exist');
  });
});
