-- AlterTable
ALTER TABLE "TraffickingCase" ADD COLUMN     "closedOn" DATE,
ADD COLUMN     "statusChangedAt" TIMESTAMPTZ(3),
ADD COLUMN     "statusChangedBy" TEXT;
