-- CreateEnum
CREATE TYPE "TreatyParty" AS ENUM ('US', 'MX');

-- CreateEnum
CREATE TYPE "ExtraditionStatus" AS ENUM ('REQUESTED', 'APPROVED', 'EXTRADITED', 'TRANSFERRED', 'DENIED');

-- CreateEnum
CREATE TYPE "TransferMechanism" AS ENUM ('FORMAL_EXTRADITION', 'NATIONAL_SECURITY_TRANSFER', 'PRISONER_TRANSFER_TREATY');

-- CreateEnum
CREATE TYPE "ExtraditionCharge" AS ENUM ('CRIMINAL_ASSOCIATION', 'DRUG_OFFENSES', 'FIREARMS', 'MONEY_LAUNDERING', 'MIGRANT_SMUGGLING', 'HOMICIDE', 'CHILD_SEXUAL_ABUSE', 'ORGANIZED_CRIME', 'OTHER');

-- CreateTable
CREATE TABLE "TransferAction" (
    "id" UUID NOT NULL,
    "recordId" TEXT NOT NULL,
    "objectiveId" TEXT NOT NULL,
    "mechanism" "TransferMechanism" NOT NULL,
    "sendingCountry" "TreatyParty" NOT NULL,
    "receivingCountry" "TreatyParty" NOT NULL,
    "startedOn" DATE NOT NULL,
    "endedOn" DATE NOT NULL,
    "personsTransferred" INTEGER NOT NULL,
    "destinationCities" INTEGER,
    "note" TEXT,
    "sourceId" TEXT NOT NULL,
    "status" "ObservationStatus" NOT NULL DEFAULT 'FINAL',
    "releasableTo" "Releasability" NOT NULL DEFAULT 'BOTH',
    "recordedBy" TEXT NOT NULL,
    "recordedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TransferAction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ExtraditionCase" (
    "id" UUID NOT NULL,
    "recordId" TEXT NOT NULL,
    "objectiveId" TEXT NOT NULL,
    "person" TEXT NOT NULL,
    "alias" TEXT,
    "requestingCountry" "TreatyParty" NOT NULL,
    "requestedCountry" "TreatyParty" NOT NULL,
    "caseStatus" "ExtraditionStatus" NOT NULL,
    "statusOn" DATE NOT NULL,
    "requestedOn" DATE,
    "approvedOn" DATE,
    "surrenderedOn" DATE,
    "deniedOn" DATE,
    "statusChangedBy" TEXT,
    "statusChangedAt" TIMESTAMPTZ(3),
    "transferMechanism" "TransferMechanism" NOT NULL,
    "charges" "ExtraditionCharge"[],
    "destination" TEXT,
    "organizationSlug" TEXT,
    "notable" BOOLEAN NOT NULL DEFAULT false,
    "transferActionId" TEXT,
    "sourceId" TEXT NOT NULL,
    "status" "ObservationStatus" NOT NULL DEFAULT 'FINAL',
    "releasableTo" "Releasability" NOT NULL DEFAULT 'BOTH',
    "recordedBy" TEXT NOT NULL,
    "recordedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ExtraditionCase_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "TransferAction_recordId_key" ON "TransferAction"("recordId");

-- CreateIndex
CREATE INDEX "TransferAction_objectiveId_endedOn_idx" ON "TransferAction"("objectiveId", "endedOn");

-- CreateIndex
CREATE INDEX "TransferAction_endedOn_idx" ON "TransferAction"("endedOn");

-- CreateIndex
CREATE UNIQUE INDEX "ExtraditionCase_recordId_key" ON "ExtraditionCase"("recordId");

-- CreateIndex
CREATE INDEX "ExtraditionCase_objectiveId_statusOn_idx" ON "ExtraditionCase"("objectiveId", "statusOn");

-- CreateIndex
CREATE INDEX "ExtraditionCase_organizationSlug_statusOn_idx" ON "ExtraditionCase"("organizationSlug", "statusOn");

-- CreateIndex
CREATE INDEX "ExtraditionCase_transferActionId_statusOn_idx" ON "ExtraditionCase"("transferActionId", "statusOn");

-- CreateIndex
CREATE INDEX "ExtraditionCase_caseStatus_statusOn_idx" ON "ExtraditionCase"("caseStatus", "statusOn");

-- CreateIndex
CREATE INDEX "ExtraditionCase_statusOn_idx" ON "ExtraditionCase"("statusOn");

-- AddForeignKey
ALTER TABLE "TransferAction" ADD CONSTRAINT "TransferAction_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "Source"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExtraditionCase" ADD CONSTRAINT "ExtraditionCase_transferActionId_fkey" FOREIGN KEY ("transferActionId") REFERENCES "TransferAction"("recordId") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExtraditionCase" ADD CONSTRAINT "ExtraditionCase_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "Source"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
