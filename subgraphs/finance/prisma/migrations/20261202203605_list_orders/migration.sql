-- DropIndex
DROP INDEX "SanctionsDesignation_designatedOn_idx";

-- DropIndex
DROP INDEX "AssetSeizure_seizedOn_idx";

-- CreateIndex
CREATE INDEX "SanctionsDesignation_designatedOn_id_idx" ON "SanctionsDesignation"("designatedOn", "id");

-- CreateIndex
CREATE INDEX "SanctionsDesignation_recordedAt_id_idx" ON "SanctionsDesignation"("recordedAt", "id");

-- CreateIndex
CREATE INDEX "AssetSeizure_seizedOn_id_idx" ON "AssetSeizure"("seizedOn", "id");

-- CreateIndex
CREATE INDEX "AssetSeizure_amountUsd_id_idx" ON "AssetSeizure"("amountUsd", "id");

-- CreateIndex
CREATE INDEX "AssetSeizure_recordedAt_id_idx" ON "AssetSeizure"("recordedAt", "id");
