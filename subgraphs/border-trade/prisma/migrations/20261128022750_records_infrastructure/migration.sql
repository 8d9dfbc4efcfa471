-- CreateEnum
CREATE TYPE "Releasability" AS ENUM ('US', 'MX', 'BOTH');

-- AlterTable
ALTER TABLE "Observation" ADD COLUMN     "releasableTo" "Releasability" NOT NULL DEFAULT 'BOTH';

-- CreateTable
CREATE TABLE "Submission" (
    "idempotencyKey" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "resultId" TEXT,
    "submittedBy" TEXT NOT NULL,
    "submittedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Submission_pkey" PRIMARY KEY ("idempotencyKey")
);
