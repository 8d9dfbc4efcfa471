import { migrationDrift } from '@bicentennial/testing';

describe('finance migrations', () => {
  it('produce exactly what schema.prisma describes', async () => {
    expect(await migrationDrift('finance')).toBe('');
  }, 180_000);
});
