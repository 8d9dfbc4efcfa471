-- Issue 10: the direction of progress moves to the subgraph that owns each indicator's values
-- (it computes progress with it); the registry marks nested totals (an indicator whose values are a
-- subset of another's total). The registry sync at start writes each indicator's row from the seed.
ALTER TABLE "Indicator" DROP COLUMN "direction";
DROP TYPE "IndicatorDirection";

ALTER TABLE "Indicator"
  ADD COLUMN "partOfId" TEXT,
  ADD COLUMN "partOfNoteEn" TEXT,
  ADD COLUMN "partOfNoteEs" TEXT;

ALTER TABLE "Indicator"
  ADD CONSTRAINT "Indicator_partOfId_fkey" FOREIGN KEY ("partOfId") REFERENCES "Indicator"("id") ON DELETE SET NULL ON UPDATE CASCADE;
