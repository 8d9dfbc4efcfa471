-- CreateEnum
CREATE TYPE "FirearmType" AS ENUM ('HANDGUN', 'RIFLE', 'SHOTGUN', 'MACHINE_GUN', 'OTHER');

-- CreateEnum
CREATE TYPE "SeizingAgency" AS ENUM ('CBP', 'ATF', 'HSI', 'FBI', 'SEDENA', 'SEMAR', 'FGR', 'SSPC', 'GUARDIA_NACIONAL', 'OTHER');

-- CreateEnum
CREATE TYPE "CaseStatus" AS ENUM ('UNDER_INVESTIGATION', 'CHARGED', 'CONVICTED', 'ACQUITTED', 'DISMISSED');

-- CreateTable
CREATE TABLE "FirearmTrace" (
    "id" UUID NOT NULL,
    "objectiveId" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "periodKind" "PeriodKind" NOT NULL,
    "periodStart" DATE NOT NULL,
    "periodEnd" DATE NOT NULL,
    "recoveryCountry" TEXT NOT NULL,
    "recoveryState" TEXT,
    "sourceCountry" TEXT,
    "sourceState" TEXT,
    "tracedCount" INTEGER,
    "usSourcedCount" INTEGER,
    "usSourcedShare" DOUBLE PRECISION,
    "qualifier" "ValueQualifier" NOT NULL DEFAULT 'EXACT',
    "note" TEXT,
    "sourceId" TEXT NOT NULL,
    "status" "ObservationStatus" NOT NULL DEFAULT 'FINAL',
    "releasableTo" "Releasability" NOT NULL DEFAULT 'BOTH',
    "recordedBy" TEXT NOT NULL,
    "recordedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FirearmTrace_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TraceRequestStatistic" (
    "id" UUID NOT NULL,
    "objectiveId" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "periodKind" "PeriodKind" NOT NULL,
    "periodStart" DATE NOT NULL,
    "periodEnd" DATE NOT NULL,
    "requestingCountry" TEXT NOT NULL,
    "requests" INTEGER NOT NULL,
    "qualifier" "ValueQualifier" NOT NULL DEFAULT 'EXACT',
    "note" TEXT,
    "sourceId" TEXT NOT NULL,
    "status" "ObservationStatus" NOT NULL DEFAULT 'FINAL',
    "releasableTo" "Releasability" NOT NULL DEFAULT 'BOTH',
    "recordedBy" TEXT NOT NULL,
    "recordedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TraceRequestStatistic_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FirearmSeizure" (
    "id" UUID NOT NULL,
    "recordId" TEXT NOT NULL,
    "objectiveId" TEXT NOT NULL,
    "seizedOn" DATE NOT NULL,
    "country" TEXT NOT NULL,
    "stateCode" TEXT NOT NULL,
    "portCode" TEXT,
    "firearmType" "FirearmType" NOT NULL,
    "firearms" INTEGER NOT NULL,
    "ammunitionRounds" INTEGER NOT NULL,
    "seizingAgency" "SeizingAgency" NOT NULL,
    "organizationSlug" TEXT,
    "sourceId" TEXT NOT NULL,
    "status" "ObservationStatus" NOT NULL DEFAULT 'FINAL',
    "releasableTo" "Releasability" NOT NULL DEFAULT 'BOTH',
    "recordedBy" TEXT NOT NULL,
    "recordedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FirearmSeizure_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TraffickingCase" (
    "id" UUID NOT NULL,
    "recordId" TEXT NOT NULL,
    "objectiveId" TEXT NOT NULL,
    "country" TEXT NOT NULL,
    "office" TEXT NOT NULL,
    "openedOn" DATE NOT NULL,
    "chargedOn" DATE,
    "caseStatus" "CaseStatus" NOT NULL,
    "defendants" INTEGER NOT NULL,
    "firearmsInvolved" INTEGER NOT NULL,
    "highLevel" BOOLEAN NOT NULL,
    "organizationSlug" TEXT,
    "sourceId" TEXT NOT NULL,
    "status" "ObservationStatus" NOT NULL DEFAULT 'FINAL',
    "releasableTo" "Releasability" NOT NULL DEFAULT 'BOTH',
    "recordedBy" TEXT NOT NULL,
    "recordedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TraffickingCase_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "FirearmTrace_recoveryState_idx" ON "FirearmTrace"("recoveryState");

-- CreateIndex
CREATE INDEX "FirearmTrace_objectiveId_idx" ON "FirearmTrace"("objectiveId");

-- CreateIndex
CREATE UNIQUE INDEX "FirearmTrace_period_recoveryCountry_recoveryState_sourceCou_key" ON "FirearmTrace"("period", "recoveryCountry", "recoveryState", "sourceCountry", "sourceState", "sourceId");

-- CreateIndex
CREATE INDEX "TraceRequestStatistic_objectiveId_idx" ON "TraceRequestStatistic"("objectiveId");

-- CreateIndex
CREATE UNIQUE INDEX "TraceRequestStatistic_period_requestingCountry_sourceId_key" ON "TraceRequestStatistic"("period", "requestingCountry", "sourceId");

-- CreateIndex
CREATE UNIQUE INDEX "FirearmSeizure_recordId_key" ON "FirearmSeizure"("recordId");

-- CreateIndex
CREATE INDEX "FirearmSeizure_portCode_seizedOn_idx" ON "FirearmSeizure"("portCode", "seizedOn");

-- CreateIndex
CREATE INDEX "FirearmSeizure_stateCode_seizedOn_idx" ON "FirearmSeizure"("stateCode", "seizedOn");

-- CreateIndex
CREATE INDEX "FirearmSeizure_country_seizedOn_idx" ON "FirearmSeizure"("country", "seizedOn");

-- CreateIndex
CREATE INDEX "FirearmSeizure_objectiveId_seizedOn_idx" ON "FirearmSeizure"("objectiveId", "seizedOn");

-- CreateIndex
CREATE INDEX "FirearmSeizure_organizationSlug_seizedOn_idx" ON "FirearmSeizure"("organizationSlug", "seizedOn");

-- CreateIndex
CREATE INDEX "FirearmSeizure_seizedOn_idx" ON "FirearmSeizure"("seizedOn");

-- CreateIndex
CREATE UNIQUE INDEX "TraffickingCase_recordId_key" ON "TraffickingCase"("recordId");

-- CreateIndex
CREATE INDEX "TraffickingCase_objectiveId_openedOn_idx" ON "TraffickingCase"("objectiveId", "openedOn");

-- CreateIndex
CREATE INDEX "TraffickingCase_organizationSlug_openedOn_idx" ON "TraffickingCase"("organizationSlug", "openedOn");

-- CreateIndex
CREATE INDEX "TraffickingCase_country_openedOn_idx" ON "TraffickingCase"("country", "openedOn");

-- CreateIndex
CREATE INDEX "TraffickingCase_openedOn_idx" ON "TraffickingCase"("openedOn");

-- AddForeignKey
ALTER TABLE "FirearmTrace" ADD CONSTRAINT "FirearmTrace_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "Source"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TraceRequestStatistic" ADD CONSTRAINT "TraceRequestStatistic_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "Source"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FirearmSeizure" ADD CONSTRAINT "FirearmSeizure_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "Source"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TraffickingCase" ADD CONSTRAINT "TraffickingCase_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "Source"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
