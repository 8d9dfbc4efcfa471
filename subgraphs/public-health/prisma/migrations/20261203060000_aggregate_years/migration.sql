-- Years for aggregates (Query.homicideStatisticAggregates, Query.programmeAggregates): generated,
-- stored columns, so GROUP BY reads plain integers. A homicide statistic spans a period and is
-- grouped by the year of its first day; a programme by the year of the day it started. A U.S.
-- fiscal year N runs from 1 October of N-1 to 30 September of N: the calendar year of the day
-- three months later.
-- Adding a stored generated column rewrites the table under an exclusive lock: on a large table,
-- run this migration in a maintenance window.

-- AlterTable
ALTER TABLE "HomicideStatistic"
  ADD COLUMN "calendarYear" INTEGER NOT NULL GENERATED ALWAYS AS (EXTRACT(YEAR FROM "periodStart")::integer) STORED,
  ADD COLUMN "fiscalYear" INTEGER NOT NULL GENERATED ALWAYS AS (EXTRACT(YEAR FROM ("periodStart" + INTERVAL '3 months'))::integer) STORED;

-- AlterTable
ALTER TABLE "Programme"
  ADD COLUMN "calendarYear" INTEGER NOT NULL GENERATED ALWAYS AS (EXTRACT(YEAR FROM "startedOn")::integer) STORED,
  ADD COLUMN "fiscalYear" INTEGER NOT NULL GENERATED ALWAYS AS (EXTRACT(YEAR FROM ("startedOn" + INTERVAL '3 months'))::integer) STORED;
