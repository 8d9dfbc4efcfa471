-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "SourceKind" AS ENUM ('OFFICIAL', 'SYNTHETIC');

-- CreateEnum
CREATE TYPE "PeriodKind" AS ENUM ('CALENDAR_YEAR', 'FISCAL_YEAR', 'HALF_YEAR', 'MONTH', 'TWELVE_MONTHS_ENDING', 'MULTI_YEAR', 'DATE_RANGE', 'POINT_IN_TIME');

-- CreateEnum
CREATE TYPE "ObservationStatus" AS ENUM ('PROVISIONAL', 'FINAL');

-- CreateEnum
CREATE TYPE "ValueQualifier" AS ENUM ('EXACT', 'APPROXIMATE', 'AT_LEAST');

-- CreateTable
CREATE TABLE "Source" (
    "id" TEXT NOT NULL,
    "publisher" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "url" TEXT,
    "kind" "SourceKind" NOT NULL,
    "publishedOn" DATE,
    "citedVia" TEXT,

    CONSTRAINT "Source_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Indicator" (
    "id" TEXT NOT NULL,
    "objectiveId" TEXT NOT NULL,

    CONSTRAINT "Indicator_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Observation" (
    "id" UUID NOT NULL,
    "indicatorId" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "periodKind" "PeriodKind" NOT NULL,
    "periodStart" DATE NOT NULL,
    "periodEnd" DATE NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "qualifier" "ValueQualifier" NOT NULL DEFAULT 'EXACT',
    "regionCode" TEXT NOT NULL,
    "status" "ObservationStatus" NOT NULL,
    "sourceId" TEXT NOT NULL,
    "note" TEXT,
    "recordedBy" TEXT NOT NULL,
    "recordedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Observation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Indicator_objectiveId_idx" ON "Indicator"("objectiveId");

-- CreateIndex
CREATE INDEX "Observation_sourceId_idx" ON "Observation"("sourceId");

-- CreateIndex
CREATE UNIQUE INDEX "Observation_indicatorId_period_regionCode_sourceId_status_key" ON "Observation"("indicatorId", "period", "regionCode", "sourceId", "status");

-- AddForeignKey
ALTER TABLE "Observation" ADD CONSTRAINT "Observation_indicatorId_fkey" FOREIGN KEY ("indicatorId") REFERENCES "Indicator"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Observation" ADD CONSTRAINT "Observation_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "Source"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

