/** Whether a rising value is progress (the `IndicatorDirection` enum of the shared SDL). */
export const INDICATOR_DIRECTIONS = ['HIGHER_IS_BETTER', 'LOWER_IS_BETTER'] as const;
export type IndicatorDirection = (typeof INDICATOR_DIRECTIONS)[number];

/**
 * Why an indicator has no value for a caller (the `CoverageReason` enum). The first two are
 * declared by the owner for an indicator without values; NOT_RELEASABLE is computed: values
 * exist, none of them may be released to this caller.
 */
export const COVERAGE_REASONS = ['NO_PUBLISHED_FIGURE', 'NOT_YET_SUBMITTED', 'NOT_RELEASABLE'] as const;
export type CoverageReason = (typeof COVERAGE_REASONS)[number];
export const SEEDED_COVERAGE_REASONS = ['NO_PUBLISHED_FIGURE', 'NOT_YET_SUBMITTED'] as const;
export type SeededCoverageReason = (typeof SEEDED_COVERAGE_REASONS)[number];

/** An indicator's progress status (the `ProgressStatus` enum); the rules are in progress.ts. */
export const PROGRESS_STATUSES = [
  'IMPROVING',
  'WORSENING',
  'NO_CHANGE',
  'ON_TRACK',
  'OFF_TRACK',
  'NO_DATA_SINCE_BASELINE',
  'NO_BASELINE',
  'NO_DATA',
] as const;
export type ProgressStatus = (typeof PROGRESS_STATUSES)[number];
