import { periodBounds } from '../indicators/periods';

const day = (d: Date) => d.toISOString().slice(0, 10);

describe('periodBounds', () => {
  it.each([
    ['CALENDAR_YEAR', '2023', '2023-01-01', '2023-12-31'],
    ['FISCAL_YEAR', 'FY2024', '2023-10-01', '2024-09-30'],
    ['HALF_YEAR', '2023-H1', '2023-01-01', '2023-06-30'],
    ['HALF_YEAR', '2023-H2', '2023-07-01', '2023-12-31'],
    ['MONTH', '2024-02', '2024-02-01', '2024-02-29'],
    ['TWELVE_MONTHS_ENDING', '2021-10/12M', '2020-11-01', '2021-10-31'],
    ['TWELVE_MONTHS_ENDING', '2024-12/12M', '2024-01-01', '2024-12-31'],
    ['MULTI_YEAR', '2017/2022', '2017-01-01', '2022-12-31'],
    ['DATE_RANGE', '2023-01-01/2023-10-09', '2023-01-01', '2023-10-09'],
    ['POINT_IN_TIME', '2022-04-27', '2022-04-27', '2022-04-27'],
  ] as const)('%s %s runs %s to %s', (kind, label, start, end) => {
    const bounds = periodBounds(kind, label);
    expect(bounds && [day(bounds.start), day(bounds.end)]).toEqual([start, end]);
  });

  it.each([
    ['CALENDAR_YEAR', 'FY2023'],
    ['FISCAL_YEAR', '2024'],
    ['MONTH', '2024-13'],
    ['MULTI_YEAR', '2022/2017'],
    ['DATE_RANGE', '2023-02-30/2023-03-01'],
    ['DATE_RANGE', '2023-05-01/2023-04-01'],
    ['POINT_IN_TIME', '2023-6-1'],
  ] as const)('rejects %s %s', (kind, label) => {
    expect(periodBounds(kind, label)).toBeNull();
  });
});
