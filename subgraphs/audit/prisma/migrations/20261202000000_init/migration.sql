-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "AuditOutcome" AS ENUM ('OK', 'PARTIAL', 'REFUSED', 'ERROR');

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" UUID NOT NULL,
    "occurredAt" TIMESTAMPTZ(3) NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "subject" TEXT,
    "agency" TEXT,
    "country" TEXT,
    "operationName" TEXT,
    "operationHash" TEXT,
    "persistedQueryId" TEXT,
    "coordinates" TEXT[],
    "variablesHash" TEXT,
    "outcome" "AuditOutcome" NOT NULL,
    "reason" TEXT,
    "errorCodes" TEXT[],
    "durationMs" DOUBLE PRECISION NOT NULL,
    "gateway" TEXT NOT NULL,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SeedHistory" (
    "part" TEXT NOT NULL,
    "profile" TEXT NOT NULL,
    "seededAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SeedHistory_pkey" PRIMARY KEY ("part")
);

-- CreateIndex
CREATE INDEX "AuditEvent_occurredAt_id_idx" ON "AuditEvent"("occurredAt", "id");

-- CreateIndex
CREATE INDEX "AuditEvent_subject_occurredAt_idx" ON "AuditEvent"("subject", "occurredAt");

