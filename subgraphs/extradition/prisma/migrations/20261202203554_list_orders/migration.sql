-- DropIndex
DROP INDEX "TransferAction_endedOn_idx";

-- DropIndex
DROP INDEX "ExtraditionCase_statusOn_idx";

-- CreateIndex
CREATE INDEX "TransferAction_endedOn_id_idx" ON "TransferAction"("endedOn", "id");

-- CreateIndex
CREATE INDEX "TransferAction_startedOn_id_idx" ON "TransferAction"("startedOn", "id");

-- CreateIndex
CREATE INDEX "TransferAction_personsTransferred_id_idx" ON "TransferAction"("personsTransferred", "id");

-- CreateIndex
CREATE INDEX "TransferAction_recordedAt_id_idx" ON "TransferAction"("recordedAt", "id");

-- CreateIndex
CREATE INDEX "ExtraditionCase_statusOn_id_idx" ON "ExtraditionCase"("statusOn", "id");

-- CreateIndex
CREATE INDEX "ExtraditionCase_person_id_idx" ON "ExtraditionCase"("person", "id");

-- CreateIndex
CREATE INDEX "ExtraditionCase_recordedAt_id_idx" ON "ExtraditionCase"("recordedAt", "id");
