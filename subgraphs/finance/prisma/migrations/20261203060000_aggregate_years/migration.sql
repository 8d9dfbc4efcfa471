-- Years for aggregates (Query.sanctionsDesignationAggregates, Query.assetSeizureAggregates):
-- generated, stored columns, so GROUP BY reads plain integers. A U.S. fiscal year N runs from
-- 1 October of N-1 to 30 September of N: the calendar year of the day three months later.
-- A designation known only to the month is on the first of that month, so its years are the month's.
-- Adding a stored generated column rewrites the table under an exclusive lock: on a large table,
-- run this migration in a maintenance window.

-- AlterTable
ALTER TABLE "SanctionsDesignation"
  ADD COLUMN "calendarYear" INTEGER NOT NULL GENERATED ALWAYS AS (EXTRACT(YEAR FROM "designatedOn")::integer) STORED,
  ADD COLUMN "fiscalYear" INTEGER NOT NULL GENERATED ALWAYS AS (EXTRACT(YEAR FROM ("designatedOn" + INTERVAL '3 months'))::integer) STORED;

-- AlterTable
ALTER TABLE "AssetSeizure"
  ADD COLUMN "calendarYear" INTEGER NOT NULL GENERATED ALWAYS AS (EXTRACT(YEAR FROM "seizedOn")::integer) STORED,
  ADD COLUMN "fiscalYear" INTEGER NOT NULL GENERATED ALWAYS AS (EXTRACT(YEAR FROM ("seizedOn" + INTERVAL '3 months'))::integer) STORED;
