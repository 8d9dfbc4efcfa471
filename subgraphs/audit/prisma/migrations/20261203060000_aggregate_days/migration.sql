-- The day (UTC) of each event, for Query.auditEventAggregates(groupBy: [DAY]): a generated, stored
-- column, so GROUP BY reads a plain date. Adding it rewrites the table (no row trigger fires, so the
-- append-only triggers are untouched) under an exclusive lock: on a large trail, run this migration
-- in a maintenance window.

-- AlterTable
ALTER TABLE "AuditEvent"
  ADD COLUMN "occurredOn" DATE NOT NULL GENERATED ALWAYS AS (("occurredAt" AT TIME ZONE 'UTC')::date) STORED;
