-- Years for aggregates (Query.firearmSeizureAggregates, Query.traffickingCaseAggregates):
-- generated, stored columns, so GROUP BY reads plain integers. A U.S. fiscal year N runs from
-- 1 October of N-1 to 30 September of N: the calendar year of the day three months later.
-- A trafficking case spans a period: it is counted in the year of the day it was opened.
-- Adding a stored generated column rewrites the table under an exclusive lock: on a large table,
-- run this migration in a maintenance window.

-- AlterTable
ALTER TABLE "FirearmSeizure"
  ADD COLUMN "calendarYear" INTEGER NOT NULL GENERATED ALWAYS AS (EXTRACT(YEAR FROM "seizedOn")::integer) STORED,
  ADD COLUMN "fiscalYear" INTEGER NOT NULL GENERATED ALWAYS AS (EXTRACT(YEAR FROM ("seizedOn" + INTERVAL '3 months'))::integer) STORED;

-- AlterTable
ALTER TABLE "TraffickingCase"
  ADD COLUMN "calendarYear" INTEGER NOT NULL GENERATED ALWAYS AS (EXTRACT(YEAR FROM "openedOn")::integer) STORED,
  ADD COLUMN "fiscalYear" INTEGER NOT NULL GENERATED ALWAYS AS (EXTRACT(YEAR FROM ("openedOn" + INTERVAL '3 months'))::integer) STORED;
