-- Issue 10: each indicator's direction of progress (moved here from framework's registry), its
-- headline series and, for an indicator without values, why; a source's outlet date. Rows of an
-- existing database get a placeholder direction here; the registry sync at start writes each
-- indicator's own metadata from the seed file before the subgraph serves.
CREATE TYPE "IndicatorDirection" AS ENUM ('HIGHER_IS_BETTER', 'LOWER_IS_BETTER');
CREATE TYPE "CoverageReason" AS ENUM ('NO_PUBLISHED_FIGURE', 'NOT_YET_SUBMITTED');

ALTER TABLE "Source" ADD COLUMN "citedOn" DATE;

ALTER TABLE "Indicator"
  ADD COLUMN "direction" "IndicatorDirection" NOT NULL DEFAULT 'HIGHER_IS_BETTER',
  ADD COLUMN "directionRuleEn" TEXT NOT NULL DEFAULT '',
  ADD COLUMN "directionRuleEs" TEXT NOT NULL DEFAULT '',
  ADD COLUMN "headlinePublisher" TEXT,
  ADD COLUMN "headlinePeriodKind" "PeriodKind",
  ADD COLUMN "headlineRegion" TEXT,
  ADD COLUMN "headlineDescriptionEn" TEXT,
  ADD COLUMN "headlineDescriptionEs" TEXT,
  ADD COLUMN "coverageReason" "CoverageReason",
  ADD COLUMN "coverageNote" TEXT;

ALTER TABLE "Indicator"
  ALTER COLUMN "direction" DROP DEFAULT,
  ALTER COLUMN "directionRuleEn" DROP DEFAULT,
  ALTER COLUMN "directionRuleEs" DROP DEFAULT;
