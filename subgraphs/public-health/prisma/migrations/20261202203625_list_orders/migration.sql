-- CreateIndex
CREATE INDEX "HomicideStatistic_periodEnd_id_idx" ON "HomicideStatistic"("periodEnd", "id");

-- CreateIndex
CREATE INDEX "HomicideStatistic_periodStart_id_idx" ON "HomicideStatistic"("periodStart", "id");

-- CreateIndex
CREATE INDEX "HomicideStatistic_recordedAt_id_idx" ON "HomicideStatistic"("recordedAt", "id");

-- CreateIndex
CREATE INDEX "Programme_startedOn_id_idx" ON "Programme"("startedOn", "id");

-- CreateIndex
CREATE INDEX "Programme_name_id_idx" ON "Programme"("name", "id");

-- CreateIndex
CREATE INDEX "Programme_recordedAt_id_idx" ON "Programme"("recordedAt", "id");
