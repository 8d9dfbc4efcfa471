-- DropIndex
DROP INDEX "FirearmSeizure_seizedOn_idx";

-- DropIndex
DROP INDEX "TraffickingCase_openedOn_idx";

-- CreateIndex
CREATE INDEX "FirearmSeizure_seizedOn_id_idx" ON "FirearmSeizure"("seizedOn", "id");

-- CreateIndex
CREATE INDEX "FirearmSeizure_firearms_id_idx" ON "FirearmSeizure"("firearms", "id");

-- CreateIndex
CREATE INDEX "FirearmSeizure_ammunitionRounds_id_idx" ON "FirearmSeizure"("ammunitionRounds", "id");

-- CreateIndex
CREATE INDEX "FirearmSeizure_recordedAt_id_idx" ON "FirearmSeizure"("recordedAt", "id");

-- CreateIndex
CREATE INDEX "TraffickingCase_openedOn_id_idx" ON "TraffickingCase"("openedOn", "id");

-- CreateIndex
CREATE INDEX "TraffickingCase_defendants_id_idx" ON "TraffickingCase"("defendants", "id");

-- CreateIndex
CREATE INDEX "TraffickingCase_firearmsInvolved_id_idx" ON "TraffickingCase"("firearmsInvolved", "id");

-- CreateIndex
CREATE INDEX "TraffickingCase_recordedAt_id_idx" ON "TraffickingCase"("recordedAt", "id");
