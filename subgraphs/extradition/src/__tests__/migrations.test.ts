import { migrationDrift } from '@bicentennial/testing';

describe('extradition migrations', () => {
  it('produce exactly what schema.prisma describes', async () => {
    expect(await migrationDrift('extradition')).toBe('');
  }, 180_000);
});
