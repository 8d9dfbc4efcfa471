/**
 * What a source is (shared SDL `SourceKind`): OFFICIAL when its original publisher is an official
 * body, NON_OFFICIAL when it is not (or is not known to be), SYNTHETIC for generated data.
 */
export const SOURCE_KINDS = ['OFFICIAL', 'NON_OFFICIAL', 'SYNTHETIC'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];
/** The kinds of published figures (the public sees values of these kinds only): every kind but SYNTHETIC. */
export const PUBLISHED_SOURCE_KINDS: readonly SourceKind[] = ['OFFICIAL', 'NON_OFFICIAL'];
