-- CreateIndex
CREATE INDEX "DrugSeizure_seizedOn_id_idx" ON "DrugSeizure"("seizedOn", "id");

-- CreateIndex
CREATE INDEX "DrugSeizure_recordedAt_id_idx" ON "DrugSeizure"("recordedAt", "id");

-- CreateIndex
CREATE INDEX "SmugglingInterdiction_occurredOn_id_idx" ON "SmugglingInterdiction"("occurredOn", "id");

-- CreateIndex
CREATE INDEX "SmugglingInterdiction_personsRescued_id_idx" ON "SmugglingInterdiction"("personsRescued", "id");

-- CreateIndex
CREATE INDEX "SmugglingInterdiction_suspectsArrested_id_idx" ON "SmugglingInterdiction"("suspectsArrested", "id");

-- CreateIndex
CREATE INDEX "SmugglingInterdiction_recordedAt_id_idx" ON "SmugglingInterdiction"("recordedAt", "id");
