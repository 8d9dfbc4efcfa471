-- CreateEnum
CREATE TYPE "PortKind" AS ENUM ('LAND', 'AIR', 'SEA');

-- CreateEnum
CREATE TYPE "Drug" AS ENUM ('FENTANYL', 'METHAMPHETAMINE', 'COCAINE', 'HEROIN', 'MARIJUANA', 'PRECURSOR_CHEMICALS', 'OTHER');

-- CreateEnum
CREATE TYPE "QuantityUnit" AS ENUM ('KILOGRAMS', 'POUNDS', 'GRAMS', 'DOSAGE_UNITS');

-- CreateEnum
CREATE TYPE "ConveyanceMode" AS ENUM ('PASSENGER_VEHICLE', 'CARGO', 'PEDESTRIAN', 'PARCEL', 'MAIL', 'OTHER');

-- CreateEnum
CREATE TYPE "SeizureLocation" AS ENUM ('AT_PORT', 'BETWEEN_PORTS');

-- CreateEnum
CREATE TYPE "SeizureScope" AS ENUM ('NATIONWIDE', 'SOUTHWEST_BORDER', 'NORTHERN_BORDER', 'PORTS_OF_ENTRY', 'DHS_WIDE');

-- CreateEnum
CREATE TYPE "ParcelFacility" AS ENUM ('EXPRESS_CONSIGNMENT', 'INTERNATIONAL_MAIL');

-- CreateEnum
CREATE TYPE "InterdictionKind" AS ENUM ('MIGRANT_SMUGGLING', 'HUMAN_TRAFFICKING');

-- CreateTable
CREATE TABLE "PortOfEntry" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "stateCode" TEXT NOT NULL,
    "kind" "PortKind" NOT NULL,
    "counterpartCity" TEXT,
    "counterpartState" TEXT,
    "latitude" DOUBLE PRECISION,
    "longitude" DOUBLE PRECISION,
    "sourceId" TEXT NOT NULL,
    "releasableTo" "Releasability" NOT NULL DEFAULT 'BOTH',
    "recordedBy" TEXT NOT NULL,
    "recordedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PortOfEntry_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "DrugSeizure" (
    "id" UUID NOT NULL,
    "recordId" TEXT NOT NULL,
    "objectiveId" TEXT NOT NULL,
    "location" "SeizureLocation" NOT NULL,
    "portCode" TEXT,
    "stateCode" TEXT NOT NULL,
    "seizedOn" DATE NOT NULL,
    "drug" "Drug" NOT NULL,
    "quantity" DOUBLE PRECISION NOT NULL,
    "unit" "QuantityUnit" NOT NULL,
    "quantityKg" DOUBLE PRECISION,
    "mode" "ConveyanceMode" NOT NULL,
    "sourceId" TEXT NOT NULL,
    "status" "ObservationStatus" NOT NULL DEFAULT 'FINAL',
    "releasableTo" "Releasability" NOT NULL DEFAULT 'BOTH',
    "recordedBy" TEXT NOT NULL,
    "recordedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DrugSeizure_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SeizureTotal" (
    "id" UUID NOT NULL,
    "fiscalYear" INTEGER NOT NULL,
    "drug" "Drug" NOT NULL,
    "scope" "SeizureScope" NOT NULL,
    "pounds" DOUBLE PRECISION NOT NULL,
    "qualifier" "ValueQualifier" NOT NULL DEFAULT 'EXACT',
    "sourceId" TEXT NOT NULL,
    "status" "ObservationStatus" NOT NULL DEFAULT 'FINAL',
    "note" TEXT,
    "releasableTo" "Releasability" NOT NULL DEFAULT 'BOTH',
    "recordedBy" TEXT NOT NULL,
    "recordedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SeizureTotal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ParcelInspection" (
    "id" UUID NOT NULL,
    "fiscalYear" INTEGER NOT NULL,
    "facility" "ParcelFacility" NOT NULL,
    "drug" "Drug" NOT NULL,
    "poundsSeized" DOUBLE PRECISION NOT NULL,
    "seizureIncidents" INTEGER,
    "sourceId" TEXT NOT NULL,
    "status" "ObservationStatus" NOT NULL DEFAULT 'FINAL',
    "releasableTo" "Releasability" NOT NULL DEFAULT 'BOTH',
    "recordedBy" TEXT NOT NULL,
    "recordedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ParcelInspection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SmugglingInterdiction" (
    "id" UUID NOT NULL,
    "recordId" TEXT NOT NULL,
    "objectiveId" TEXT NOT NULL,
    "kind" "InterdictionKind" NOT NULL,
    "occurredOn" DATE NOT NULL,
    "portCode" TEXT,
    "stateCode" TEXT NOT NULL,
    "personsRescued" INTEGER NOT NULL,
    "suspectsArrested" INTEGER NOT NULL,
    "sourceId" TEXT NOT NULL,
    "status" "ObservationStatus" NOT NULL DEFAULT 'FINAL',
    "releasableTo" "Releasability" NOT NULL DEFAULT 'BOTH',
    "recordedBy" TEXT NOT NULL,
    "recordedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SmugglingInterdiction_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PortOfEntry_stateCode_idx" ON "PortOfEntry"("stateCode");

-- CreateIndex
CREATE UNIQUE INDEX "DrugSeizure_recordId_key" ON "DrugSeizure"("recordId");

-- CreateIndex
CREATE INDEX "DrugSeizure_portCode_seizedOn_idx" ON "DrugSeizure"("portCode", "seizedOn");

-- CreateIndex
CREATE INDEX "DrugSeizure_stateCode_seizedOn_idx" ON "DrugSeizure"("stateCode", "seizedOn");

-- CreateIndex
CREATE INDEX "DrugSeizure_objectiveId_seizedOn_idx" ON "DrugSeizure"("objectiveId", "seizedOn");

-- CreateIndex
CREATE INDEX "DrugSeizure_drug_seizedOn_idx" ON "DrugSeizure"("drug", "seizedOn");

-- CreateIndex
CREATE UNIQUE INDEX "SeizureTotal_fiscalYear_drug_scope_sourceId_key" ON "SeizureTotal"("fiscalYear", "drug", "scope", "sourceId");

-- CreateIndex
CREATE UNIQUE INDEX "ParcelInspection_fiscalYear_facility_drug_sourceId_key" ON "ParcelInspection"("fiscalYear", "facility", "drug", "sourceId");

-- CreateIndex
CREATE UNIQUE INDEX "SmugglingInterdiction_recordId_key" ON "SmugglingInterdiction"("recordId");

-- CreateIndex
CREATE INDEX "SmugglingInterdiction_portCode_occurredOn_idx" ON "SmugglingInterdiction"("portCode", "occurredOn");

-- CreateIndex
CREATE INDEX "SmugglingInterdiction_stateCode_occurredOn_idx" ON "SmugglingInterdiction"("stateCode", "occurredOn");

-- AddForeignKey
ALTER TABLE "PortOfEntry" ADD CONSTRAINT "PortOfEntry_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "Source"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DrugSeizure" ADD CONSTRAINT "DrugSeizure_portCode_fkey" FOREIGN KEY ("portCode") REFERENCES "PortOfEntry"("code") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DrugSeizure" ADD CONSTRAINT "DrugSeizure_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "Source"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SeizureTotal" ADD CONSTRAINT "SeizureTotal_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "Source"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ParcelInspection" ADD CONSTRAINT "ParcelInspection_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "Source"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SmugglingInterdiction" ADD CONSTRAINT "SmugglingInterdiction_portCode_fkey" FOREIGN KEY ("portCode") REFERENCES "PortOfEntry"("code") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SmugglingInterdiction" ADD CONSTRAINT "SmugglingInterdiction_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "Source"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
