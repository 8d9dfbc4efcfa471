-- Years for aggregates (Query.extraditionCaseAggregates, Query.transferActionAggregates):
-- generated, stored columns, so GROUP BY reads plain integers. A case's day is the day it reached
-- its current stage ("statusOn", kept up to date by status moves); a transfer's is its last day
-- ("endedOn"), the day its list's period filter reads. A U.S. fiscal year N runs from 1 October
-- of N-1 to 30 September of N: the calendar year of the day three months later.
-- Adding a stored generated column rewrites the table under an exclusive lock: on a large table,
-- run this migration in a maintenance window.

-- AlterTable
ALTER TABLE "ExtraditionCase"
  ADD COLUMN "calendarYear" INTEGER NOT NULL GENERATED ALWAYS AS (EXTRACT(YEAR FROM "statusOn")::integer) STORED,
  ADD COLUMN "fiscalYear" INTEGER NOT NULL GENERATED ALWAYS AS (EXTRACT(YEAR FROM ("statusOn" + INTERVAL '3 months'))::integer) STORED;

-- AlterTable
ALTER TABLE "TransferAction"
  ADD COLUMN "calendarYear" INTEGER NOT NULL GENERATED ALWAYS AS (EXTRACT(YEAR FROM "endedOn")::integer) STORED,
  ADD COLUMN "fiscalYear" INTEGER NOT NULL GENERATED ALWAYS AS (EXTRACT(YEAR FROM ("endedOn" + INTERVAL '3 months'))::integer) STORED;
