-- CreateEnum
CREATE TYPE "OrganizationKind" AS ENUM ('CARTEL', 'GANG', 'FACTION', 'OTHER');

-- CreateEnum
CREATE TYPE "DatePrecision" AS ENUM ('DAY', 'MONTH');

-- CreateEnum
CREATE TYPE "TargetKind" AS ENUM ('INDIVIDUAL', 'ENTITY', 'MIXED');

-- CreateEnum
CREATE TYPE "AdvisoryKind" AS ENUM ('ADVISORY', 'SUPPLEMENTAL_ADVISORY', 'ALERT', 'TREND_ANALYSIS', 'ORDER', 'NATIONAL_PRIORITIES');

-- CreateEnum
CREATE TYPE "AssetMeasure" AS ENUM ('TOTAL_ASSETS', 'ASSETS_UNDER_MANAGEMENT');

-- CreateEnum
CREATE TYPE "SuspiciousActivitySubject" AS ENUM ('FENTANYL', 'SYNTHETIC_OPIOIDS', 'PRECURSOR_CHEMICALS', 'OTHER');

-- CreateEnum
CREATE TYPE "PaymentMethod" AS ENUM ('CASH', 'PEER_TO_PEER', 'WIRE_TRANSFER', 'CHECK', 'CRYPTOCURRENCY', 'MONEY_SERVICES_BUSINESS', 'OTHER');

-- CreateEnum
CREATE TYPE "AssetType" AS ENUM ('CASH', 'BANK_ACCOUNT', 'REAL_ESTATE', 'VEHICLE', 'CRYPTOCURRENCY', 'OTHER');

-- CreateTable
CREATE TABLE "CriminalOrganization" (
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "spanishName" TEXT NOT NULL,
    "aliases" TEXT[],
    "kind" "OrganizationKind" NOT NULL,
    "parentSlug" TEXT,
    "predecessorSlug" TEXT,
    "note" TEXT,
    "sourceId" TEXT NOT NULL,
    "releasableTo" "Releasability" NOT NULL DEFAULT 'BOTH',
    "recordedBy" TEXT NOT NULL,
    "recordedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CriminalOrganization_pkey" PRIMARY KEY ("slug")
);

-- CreateTable
CREATE TABLE "SanctionsDesignation" (
    "id" UUID NOT NULL,
    "recordId" TEXT NOT NULL,
    "objectiveId" TEXT NOT NULL,
    "designatedOn" DATE NOT NULL,
    "datePrecision" "DatePrecision" NOT NULL,
    "designatedBy" TEXT NOT NULL,
    "authorities" TEXT[],
    "targetKind" "TargetKind" NOT NULL,
    "individuals" INTEGER,
    "entities" INTEGER,
    "countryCount" INTEGER,
    "namedTargets" TEXT[],
    "organizationSlug" TEXT,
    "note" TEXT,
    "sourceId" TEXT NOT NULL,
    "status" "ObservationStatus" NOT NULL DEFAULT 'FINAL',
    "releasableTo" "Releasability" NOT NULL DEFAULT 'BOTH',
    "recordedBy" TEXT NOT NULL,
    "recordedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SanctionsDesignation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FinancialAdvisory" (
    "id" TEXT NOT NULL,
    "number" TEXT,
    "kind" "AdvisoryKind" NOT NULL,
    "title" TEXT NOT NULL,
    "issuedOn" DATE NOT NULL,
    "sarKeyTerm" TEXT,
    "newRedFlagCount" INTEGER,
    "effectiveDatesNote" TEXT,
    "note" TEXT,
    "objectiveId" TEXT NOT NULL,
    "sourceId" TEXT NOT NULL,
    "status" "ObservationStatus" NOT NULL DEFAULT 'FINAL',
    "releasableTo" "Releasability" NOT NULL DEFAULT 'BOTH',
    "recordedBy" TEXT NOT NULL,
    "recordedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FinancialAdvisory_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NamedInstitution" (
    "id" UUID NOT NULL,
    "advisoryId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "countryCode" TEXT NOT NULL,
    "assetsUsd" DOUBLE PRECISION,
    "assetsQualifier" "ValueQualifier",
    "assetsMeasure" "AssetMeasure",
    "sarKeyTerm" TEXT,

    CONSTRAINT "NamedInstitution_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SuspiciousActivityStatistic" (
    "id" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "periodKind" "PeriodKind" NOT NULL,
    "periodStart" DATE NOT NULL,
    "periodEnd" DATE NOT NULL,
    "subject" "SuspiciousActivitySubject" NOT NULL,
    "sarCount" INTEGER,
    "sarCountQualifier" "ValueQualifier" NOT NULL DEFAULT 'EXACT',
    "suspiciousAmountUsd" DOUBLE PRECISION,
    "suspiciousAmountQualifier" "ValueQualifier" NOT NULL DEFAULT 'EXACT',
    "objectiveIds" TEXT[],
    "advisoryId" TEXT,
    "note" TEXT,
    "sourceId" TEXT NOT NULL,
    "status" "ObservationStatus" NOT NULL DEFAULT 'FINAL',
    "releasableTo" "Releasability" NOT NULL DEFAULT 'BOTH',
    "recordedBy" TEXT NOT NULL,
    "recordedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SuspiciousActivityStatistic_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PaymentMethodShare" (
    "id" UUID NOT NULL,
    "statisticId" TEXT NOT NULL,
    "method" "PaymentMethod" NOT NULL,
    "percent" DOUBLE PRECISION NOT NULL,
    "qualifier" "ValueQualifier" NOT NULL DEFAULT 'EXACT',

    CONSTRAINT "PaymentMethodShare_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AssetSeizure" (
    "id" UUID NOT NULL,
    "recordId" TEXT NOT NULL,
    "objectiveId" TEXT NOT NULL,
    "seizedOn" DATE NOT NULL,
    "countryCode" TEXT NOT NULL,
    "seizingAuthority" TEXT NOT NULL,
    "organizationSlug" TEXT,
    "assetType" "AssetType" NOT NULL,
    "amountUsd" DOUBLE PRECISION NOT NULL,
    "cyberEnabled" BOOLEAN NOT NULL,
    "sourceId" TEXT NOT NULL,
    "status" "ObservationStatus" NOT NULL DEFAULT 'FINAL',
    "releasableTo" "Releasability" NOT NULL DEFAULT 'BOTH',
    "recordedBy" TEXT NOT NULL,
    "recordedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AssetSeizure_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CriminalOrganization_parentSlug_idx" ON "CriminalOrganization"("parentSlug");

-- CreateIndex
CREATE INDEX "CriminalOrganization_predecessorSlug_idx" ON "CriminalOrganization"("predecessorSlug");

-- CreateIndex
CREATE UNIQUE INDEX "SanctionsDesignation_recordId_key" ON "SanctionsDesignation"("recordId");

-- CreateIndex
CREATE INDEX "SanctionsDesignation_organizationSlug_designatedOn_idx" ON "SanctionsDesignation"("organizationSlug", "designatedOn");

-- CreateIndex
CREATE INDEX "SanctionsDesignation_objectiveId_designatedOn_idx" ON "SanctionsDesignation"("objectiveId", "designatedOn");

-- CreateIndex
CREATE INDEX "SanctionsDesignation_designatedOn_idx" ON "SanctionsDesignation"("designatedOn");

-- CreateIndex
CREATE INDEX "FinancialAdvisory_objectiveId_idx" ON "FinancialAdvisory"("objectiveId");

-- CreateIndex
CREATE INDEX "FinancialAdvisory_kind_idx" ON "FinancialAdvisory"("kind");

-- CreateIndex
CREATE UNIQUE INDEX "NamedInstitution_advisoryId_name_key" ON "NamedInstitution"("advisoryId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "PaymentMethodShare_statisticId_method_key" ON "PaymentMethodShare"("statisticId", "method");

-- CreateIndex
CREATE UNIQUE INDEX "AssetSeizure_recordId_key" ON "AssetSeizure"("recordId");

-- CreateIndex
CREATE INDEX "AssetSeizure_organizationSlug_seizedOn_idx" ON "AssetSeizure"("organizationSlug", "seizedOn");

-- CreateIndex
CREATE INDEX "AssetSeizure_objectiveId_seizedOn_idx" ON "AssetSeizure"("objectiveId", "seizedOn");

-- CreateIndex
CREATE INDEX "AssetSeizure_countryCode_seizedOn_idx" ON "AssetSeizure"("countryCode", "seizedOn");

-- CreateIndex
CREATE INDEX "AssetSeizure_seizedOn_idx" ON "AssetSeizure"("seizedOn");

-- AddForeignKey
ALTER TABLE "CriminalOrganization" ADD CONSTRAINT "CriminalOrganization_parentSlug_fkey" FOREIGN KEY ("parentSlug") REFERENCES "CriminalOrganization"("slug") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CriminalOrganization" ADD CONSTRAINT "CriminalOrganization_predecessorSlug_fkey" FOREIGN KEY ("predecessorSlug") REFERENCES "CriminalOrganization"("slug") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CriminalOrganization" ADD CONSTRAINT "CriminalOrganization_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "Source"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SanctionsDesignation" ADD CONSTRAINT "SanctionsDesignation_organizationSlug_fkey" FOREIGN KEY ("organizationSlug") REFERENCES "CriminalOrganization"("slug") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SanctionsDesignation" ADD CONSTRAINT "SanctionsDesignation_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "Source"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FinancialAdvisory" ADD CONSTRAINT "FinancialAdvisory_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "Source"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NamedInstitution" ADD CONSTRAINT "NamedInstitution_advisoryId_fkey" FOREIGN KEY ("advisoryId") REFERENCES "FinancialAdvisory"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SuspiciousActivityStatistic" ADD CONSTRAINT "SuspiciousActivityStatistic_advisoryId_fkey" FOREIGN KEY ("advisoryId") REFERENCES "FinancialAdvisory"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SuspiciousActivityStatistic" ADD CONSTRAINT "SuspiciousActivityStatistic_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "Source"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PaymentMethodShare" ADD CONSTRAINT "PaymentMethodShare_statisticId_fkey" FOREIGN KEY ("statisticId") REFERENCES "SuspiciousActivityStatistic"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AssetSeizure" ADD CONSTRAINT "AssetSeizure_organizationSlug_fkey" FOREIGN KEY ("organizationSlug") REFERENCES "CriminalOrganization"("slug") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AssetSeizure" ADD CONSTRAINT "AssetSeizure_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "Source"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
