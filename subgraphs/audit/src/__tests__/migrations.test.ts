import { migrationDrift } from '@bicentennial/testing';

describe('audit migrations', () => {
  it('produce exactly what schema.prisma describes', async () => {
    expect(await migrationDrift('audit')).toBe('');
  }, 180_000);
});
