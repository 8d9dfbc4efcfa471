import type { TranslationStatus } from '../generated/graphql';

/** The parent of `Translation`: the standing of an item's Spanish title and description. */
export interface TranslationParent {
  title: TranslationStatus;
  description: TranslationStatus | null;
}
