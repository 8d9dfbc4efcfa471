-- CreateEnum
CREATE TYPE "DrugClass" AS ENUM ('ALL_DRUGS', 'OPIOIDS', 'SYNTHETIC_OPIOIDS', 'PSYCHOSTIMULANTS', 'COCAINE');

-- CreateEnum
CREATE TYPE "HomicideMeasure" AS ENUM ('INEGI_DEATH_CERTIFICATES', 'SESNSP_VICTIMS');

-- CreateEnum
CREATE TYPE "ProgrammeKind" AS ENUM ('TREATMENT', 'HARM_REDUCTION', 'PREVENTION', 'VIOLENCE_PREVENTION', 'COMMUNITY_POLICING', 'VULNERABLE_POPULATIONS');

-- CreateTable
CREATE TABLE "OverdoseDeathStatistic" (
    "id" UUID NOT NULL,
    "objectiveId" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "periodKind" "PeriodKind" NOT NULL,
    "periodStart" DATE NOT NULL,
    "periodEnd" DATE NOT NULL,
    "countryCode" TEXT NOT NULL,
    "drugClass" "DrugClass" NOT NULL,
    "deaths" INTEGER,
    "deathsQualifier" "ValueQualifier",
    "ageAdjustedRatePer100k" DOUBLE PRECISION,
    "status" "ObservationStatus" NOT NULL,
    "note" TEXT,
    "sourceId" TEXT NOT NULL,
    "releasableTo" "Releasability" NOT NULL DEFAULT 'BOTH',
    "recordedBy" TEXT NOT NULL,
    "recordedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OverdoseDeathStatistic_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HomicideStatistic" (
    "id" UUID NOT NULL,
    "objectiveId" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "periodKind" "PeriodKind" NOT NULL,
    "periodStart" DATE NOT NULL,
    "periodEnd" DATE NOT NULL,
    "regionCode" TEXT NOT NULL,
    "measure" "HomicideMeasure" NOT NULL,
    "count" INTEGER,
    "countQualifier" "ValueQualifier",
    "ratePer100k" DOUBLE PRECISION,
    "firearmSharePercent" DOUBLE PRECISION,
    "status" "ObservationStatus" NOT NULL,
    "note" TEXT,
    "sourceId" TEXT NOT NULL,
    "releasableTo" "Releasability" NOT NULL DEFAULT 'BOTH',
    "recordedBy" TEXT NOT NULL,
    "recordedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HomicideStatistic_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Programme" (
    "id" UUID NOT NULL,
    "recordId" TEXT NOT NULL,
    "objectiveId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "ProgrammeKind" NOT NULL,
    "countryCode" TEXT,
    "regionCode" TEXT,
    "startedOn" DATE NOT NULL,
    "endedOn" DATE,
    "fundingUsd" DOUBLE PRECISION,
    "fundingQualifier" "ValueQualifier",
    "peopleReached" INTEGER,
    "note" TEXT,
    "sourceId" TEXT NOT NULL,
    "status" "ObservationStatus" NOT NULL DEFAULT 'FINAL',
    "releasableTo" "Releasability" NOT NULL DEFAULT 'BOTH',
    "recordedBy" TEXT NOT NULL,
    "recordedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Programme_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "OverdoseDeathStatistic_objectiveId_periodEnd_idx" ON "OverdoseDeathStatistic"("objectiveId", "periodEnd");

-- CreateIndex
CREATE INDEX "OverdoseDeathStatistic_sourceId_idx" ON "OverdoseDeathStatistic"("sourceId");

-- CreateIndex
CREATE UNIQUE INDEX "OverdoseDeathStatistic_period_countryCode_drugClass_sourceI_key" ON "OverdoseDeathStatistic"("period", "countryCode", "drugClass", "sourceId", "status");

-- CreateIndex
CREATE INDEX "HomicideStatistic_regionCode_periodEnd_idx" ON "HomicideStatistic"("regionCode", "periodEnd");

-- CreateIndex
CREATE INDEX "HomicideStatistic_objectiveId_periodEnd_idx" ON "HomicideStatistic"("objectiveId", "periodEnd");

-- CreateIndex
CREATE INDEX "HomicideStatistic_sourceId_idx" ON "HomicideStatistic"("sourceId");

-- CreateIndex
CREATE UNIQUE INDEX "HomicideStatistic_period_regionCode_measure_sourceId_status_key" ON "HomicideStatistic"("period", "regionCode", "measure", "sourceId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Programme_recordId_key" ON "Programme"("recordId");

-- CreateIndex
CREATE INDEX "Programme_objectiveId_startedOn_idx" ON "Programme"("objectiveId", "startedOn");

-- CreateIndex
CREATE INDEX "Programme_countryCode_startedOn_idx" ON "Programme"("countryCode", "startedOn");

-- CreateIndex
CREATE INDEX "Programme_regionCode_startedOn_idx" ON "Programme"("regionCode", "startedOn");

-- CreateIndex
CREATE INDEX "Programme_sourceId_idx" ON "Programme"("sourceId");

-- AddForeignKey
ALTER TABLE "OverdoseDeathStatistic" ADD CONSTRAINT "OverdoseDeathStatistic_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "Source"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HomicideStatistic" ADD CONSTRAINT "HomicideStatistic_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "Source"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Programme" ADD CONSTRAINT "Programme_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "Source"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
