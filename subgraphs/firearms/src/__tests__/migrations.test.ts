import { migrationDrift } from '@bicentennial/testing';

describe('firearms migrations', () => {
  it('produce exactly what schema.prisma describes', async () => {
    expect(await migrationDrift('firearms')).toBe('');
  }, 180_000);
});
