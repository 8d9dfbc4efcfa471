import { migrationDrift } from '@bicentennial/testing';

describe('framework migrations', () => {
  it('produce exactly what schema.prisma describes', async () => {
    expect(await migrationDrift('framework')).toBe('');
  }, 180_000);
});
