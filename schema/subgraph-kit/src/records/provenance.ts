import type DataLoader from 'dataloader';
import type { SourceRow } from '../indicators/observations';

/** The columns every agency record keeps about where it comes from. */
export interface ProvenanceColumns {
  sourceId: string;
  status?: 'PROVISIONAL' | 'FINAL';
  releasableTo: 'US' | 'MX' | 'BOTH';
  recordedBy: string;
  recordedAt: Date;
}

export interface ProvenanceValue {
  source: SourceRow;
  status: 'PROVISIONAL' | 'FINAL';
  releasableTo: 'US' | 'MX' | 'BOTH';
  recordedBy: string;
  recordedAt: Date;
}

/** A record's `provenance`, its source loaded through the request's (batching) source loader. */
export async function provenanceOf(
  row: ProvenanceColumns,
  sources: DataLoader<string, SourceRow | null>,
): Promise<ProvenanceValue> {
  const source = await sources.load(row.sourceId);
  if (!source) throw new Error(`source ${row.sourceId} is missing`);
  return {
    source,
    status: row.status ?? 'FINAL',
    releasableTo: row.releasableTo,
    recordedBy: row.recordedBy,
    recordedAt: row.recordedAt,
  };
}
