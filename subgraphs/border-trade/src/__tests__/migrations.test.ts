import { migrationDrift } from '@bicentennial/testing';

describe('border-trade migrations', () => {
  it('produce exactly what schema.prisma describes', async () => {
    expect(await migrationDrift('border-trade')).toBe('');
  }, 180_000);
});
