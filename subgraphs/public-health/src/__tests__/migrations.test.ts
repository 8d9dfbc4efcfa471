import { migrationDrift } from '@bicentennial/testing';

describe('public-health migrations', () => {
  it('produce exactly what schema.prisma describes', async () => {
    expect(await migrationDrift('public-health')).toBe('');
  }, 180_000);
});
