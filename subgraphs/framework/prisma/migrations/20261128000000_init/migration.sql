-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Owner" AS ENUM ('PUBLIC_HEALTH', 'BORDER_TRADE', 'FIREARMS', 'FINANCE', 'EXTRADITION');

-- CreateEnum
CREATE TYPE "TranslationStatus" AS ENUM ('OFFICIAL', 'UNOFFICIAL');

-- CreateEnum
CREATE TYPE "RegionKind" AS ENUM ('COUNTRY', 'STATE', 'CAPITAL_DISTRICT');

-- CreateEnum
CREATE TYPE "IndicatorDirection" AS ENUM ('HIGHER_IS_BETTER', 'LOWER_IS_BETTER');

-- CreateTable
CREATE TABLE "Framework" (
    "id" TEXT NOT NULL,
    "titleEn" TEXT NOT NULL,
    "titleEs" TEXT NOT NULL,
    "titleEsStatus" "TranslationStatus" NOT NULL,
    "source" TEXT NOT NULL,

    CONSTRAINT "Framework_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Goal" (
    "id" TEXT NOT NULL,
    "titleEn" TEXT NOT NULL,
    "titleEs" TEXT NOT NULL,
    "titleEsStatus" "TranslationStatus" NOT NULL,
    "descriptionEn" TEXT NOT NULL,
    "descriptionEs" TEXT NOT NULL,
    "descriptionEsStatus" "TranslationStatus" NOT NULL,

    CONSTRAINT "Goal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CooperationArea" (
    "id" TEXT NOT NULL,
    "goalId" TEXT NOT NULL,
    "titleEn" TEXT NOT NULL,
    "titleEs" TEXT NOT NULL,
    "titleEsStatus" "TranslationStatus" NOT NULL,

    CONSTRAINT "CooperationArea_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JointObjective" (
    "id" TEXT NOT NULL,
    "areaId" TEXT NOT NULL,
    "goalId" TEXT NOT NULL,
    "titleEn" TEXT NOT NULL,
    "titleEs" TEXT NOT NULL,
    "titleEsStatus" "TranslationStatus" NOT NULL,
    "owner" "Owner" NOT NULL,

    CONSTRAINT "JointObjective_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Region" (
    "code" TEXT NOT NULL,
    "countryCode" TEXT NOT NULL,
    "kind" "RegionKind" NOT NULL,
    "nameEn" TEXT NOT NULL,
    "nameEs" TEXT NOT NULL,
    "borderState" BOOLEAN NOT NULL,

    CONSTRAINT "Region_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "Indicator" (
    "id" TEXT NOT NULL,
    "objectiveId" TEXT NOT NULL,
    "owner" "Owner" NOT NULL,
    "position" INTEGER NOT NULL,
    "nameEn" TEXT NOT NULL,
    "nameEs" TEXT NOT NULL,
    "unitEn" TEXT NOT NULL,
    "unitEs" TEXT NOT NULL,
    "direction" "IndicatorDirection" NOT NULL,
    "descriptionEn" TEXT NOT NULL,
    "descriptionEs" TEXT NOT NULL,

    CONSTRAINT "Indicator_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CooperationArea_goalId_idx" ON "CooperationArea"("goalId");

-- CreateIndex
CREATE INDEX "JointObjective_areaId_idx" ON "JointObjective"("areaId");

-- CreateIndex
CREATE INDEX "JointObjective_goalId_idx" ON "JointObjective"("goalId");

-- CreateIndex
CREATE INDEX "JointObjective_owner_idx" ON "JointObjective"("owner");

-- CreateIndex
CREATE INDEX "Region_countryCode_idx" ON "Region"("countryCode");

-- CreateIndex
CREATE INDEX "Indicator_owner_idx" ON "Indicator"("owner");

-- CreateIndex
CREATE UNIQUE INDEX "Indicator_objectiveId_position_key" ON "Indicator"("objectiveId", "position");

-- AddForeignKey
ALTER TABLE "CooperationArea" ADD CONSTRAINT "CooperationArea_goalId_fkey" FOREIGN KEY ("goalId") REFERENCES "Goal"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "JointObjective" ADD CONSTRAINT "JointObjective_areaId_fkey" FOREIGN KEY ("areaId") REFERENCES "CooperationArea"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "JointObjective" ADD CONSTRAINT "JointObjective_goalId_fkey" FOREIGN KEY ("goalId") REFERENCES "Goal"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Indicator" ADD CONSTRAINT "Indicator_objectiveId_fkey" FOREIGN KEY ("objectiveId") REFERENCES "JointObjective"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

