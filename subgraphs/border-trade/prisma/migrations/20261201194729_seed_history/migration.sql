-- CreateTable
CREATE TABLE "SeedHistory" (
    "part" TEXT NOT NULL,
    "profile" TEXT NOT NULL,
    "seededAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SeedHistory_pkey" PRIMARY KEY ("part")
);
