import {
  type PndBatchLine,
  type PndManifest,
  SCHEMA_VERSION,
  type StoredMarker,
} from '../../schemas/index.ts';
import { sha256Hex } from '../shared/canonical-json.ts';
import type { PndStore } from './pnd-store.ts';
import { afterAckTimeout } from './state.ts';

/** Small objects in the bucket: what PND batches and manifests are written to. */
export type ObjectStore = {
  readonly exists: (key: string) => Promise<boolean>;
  readonly put: (key: string, body: string, contentType: string) => Promise<void>;
  readonly get: (key: string) => Promise<string | undefined>;
};

export type PndExportDeps = {
  readonly pnd: PndStore;
  readonly objects: ObjectStore;
  readonly now: () => string;
  readonly settings: {
    readonly maxAttempts: number;
    readonly ackTimeoutHours: number;
    readonly batchPrefix: string;
    readonly maxBatchSize: number;
  };
};

/** What an export did: the new batch (if any), batches it completed after a crash, markers given up on. */
export type PndExportResult = {
  readonly batchId?: string;
  readonly exported: number;
  readonly resent: number;
  readonly completedBatches: readonly string[];
  readonly rejectedUnanswered: number;
  readonly held: number;
};

/** Keys of a batch's objects. */
export const batchKeys = (prefix: string, batchId: string) => ({
  markers: `${prefix}${batchId}/markers.jsonl`,
  manifest: `${prefix}${batchId}/manifest.json`,
});

/** A marker as a PND batch line. */
export const toBatchLine = (m: StoredMarker, batchId: string): PndBatchLine => {
  const d = m.draft;
  return {
    batchId,
    markerId: m.markerId,
    exportSeq: m.feedSeq,
    operation: m.status === 'ACTIVE' ? 'UPSERT' : 'REMOVE',
    status: m.status,
    naturalKey: m.naturalKey,
    markerType: d.markerType,
    subjectType: d.subjectType,
    subjectRef: d.subjectRef,
    exploitationTypes: [...d.exploitationTypes],
    sourceOrg: d.sourceOrg,
    sourceSystem: d.sourceSystem,
    sourceRecordRef: d.sourceRecordRef,
    ...(d.sourceBusinessArea ? { sourceBusinessArea: d.sourceBusinessArea } : {}),
    ...(d.crimeRef ? { crimeRef: d.crimeRef } : {}),
    ...(d.hoOffenceCode ? { hoOffenceCode: d.hoOffenceCode } : {}),
    mopiGroup: d.mopiGroup,
    reviewDueOn: m.reviewDueOn,
    classification: d.classification,
    ...(d.intelGrading ? { intelGrading: d.intelGrading } : {}),
    asAt: d.asAt,
    period: d.period,
    createdOn: m.createdOn,
    ...(m.pndRef ? { pndRef: m.pndRef } : {}),
  };
};

const tally = (lines: readonly PndBatchLine[], field: 'markerType' | 'sourceOrg'): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const line of lines) out[line[field]] = (out[line[field]] ?? 0) + 1;
  return out;
};

/**
 * Writes a batch: the JSON Lines first, the manifest last. A batch without a manifest is incomplete:
 * PND's loader ignores it and the next export rewrites it from the markers marked SENT with its id.
 */
export const writeBatch = async (
  deps: PndExportDeps,
  batchId: string,
  markers: readonly StoredMarker[],
): Promise<PndManifest> => {
  const keys = batchKeys(deps.settings.batchPrefix, batchId);
  const lines = [...markers]
    .sort((a, b) => a.naturalKey.localeCompare(b.naturalKey))
    .map((m) => toBatchLine(m, batchId));
  const body = lines.map((l) => `${JSON.stringify(l)}\n`).join('');
  await deps.objects.put(keys.markers, body, 'application/x-ndjson');
  const manifest: PndManifest = {
    schemaVersion: SCHEMA_VERSION,
    batchId,
    createdAt: deps.now(),
    markersKey: keys.markers,
    lines: lines.length,
    bytes: Buffer.byteLength(body),
    sha256: sha256Hex(body),
    counts: {
      upsert: lines.filter((l) => l.operation === 'UPSERT').length,
      remove: lines.filter((l) => l.operation === 'REMOVE').length,
      byMarkerType: tally(lines, 'markerType'),
      bySourceOrg: tally(lines, 'sourceOrg'),
    },
  };
  await deps.objects.put(keys.manifest, `${JSON.stringify(manifest, null, 2)}\n`, 'application/json');
  return manifest;
};

const newBatchId = (now: string, markers: readonly StoredMarker[]): string =>
  `pnd-${now.replace(/[-:.]/g, '').slice(0, 15)}Z-${sha256Hex(markers.map((m) => `${m.naturalKey}@${m.feedSeq}`).join(',')).slice(0, 8)}`;

/**
 * Exports PENDING markers (never HELD ones) as a PND batch and marks them SENT. First it completes any
 * batch a crashed export left without a manifest, re-sends markers PND has not answered within the
 * timeout and rejects those out of attempts. Running it again at once changes nothing.
 */
export const exportPndBatch = async (deps: PndExportDeps): Promise<PndExportResult> => {
  const now = deps.now();
  const sent = await deps.pnd.listByState('SENT');
  const byBatch = new Map<string, StoredMarker[]>();
  for (const m of sent)
    if (m.pndBatchId) byBatch.set(m.pndBatchId, [...(byBatch.get(m.pndBatchId) ?? []), m]);
  const completedBatches: string[] = [];
  const resend: StoredMarker[] = [];
  let rejectedUnanswered = 0;
  for (const [batchId, markers] of byBatch) {
    if (!(await deps.objects.exists(batchKeys(deps.settings.batchPrefix, batchId).manifest))) {
      await writeBatch(deps, batchId, markers);
      completedBatches.push(batchId);
      continue;
    }
    for (const m of markers) {
      const action = afterAckTimeout(m.pndLastAttemptAt ?? now, m.pndAttempts, now, deps.settings);
      if (action === 'RESEND') resend.push(m);
      if (action === 'REJECT') {
        const reason = `no answer from PND after ${m.pndAttempts} attempts`;
        if (await deps.pnd.answer(m, batchId, { to: 'REJECTED', reason }, now)) rejectedUnanswered++;
      }
    }
  }

  const pending = await deps.pnd.listByState('PENDING', deps.settings.maxBatchSize);
  const candidates = [...resend, ...pending].slice(0, deps.settings.maxBatchSize);
  const held = (await deps.pnd.listByState('HELD')).length;
  if (candidates.length === 0) return { exported: 0, resent: 0, completedBatches, rejectedUnanswered, held };

  const batchId = newBatchId(now, candidates);
  const marked: StoredMarker[] = [];
  let resent = 0;
  for (const m of candidates) {
    const from =
      m.pndSyncState === 'SENT' && m.pndBatchId
        ? { state: 'SENT' as const, batchId: m.pndBatchId }
        : { state: 'PENDING' as const };
    if (await deps.pnd.markSent(m, batchId, now, from)) {
      marked.push({ ...m, pndSyncState: 'SENT', pndBatchId: batchId, pndAttempts: m.pndAttempts + 1 });
      if (from.state === 'SENT') resent++;
    }
  }
  if (marked.length === 0) return { exported: 0, resent: 0, completedBatches, rejectedUnanswered, held };
  await writeBatch(deps, batchId, marked);
  return { batchId, exported: marked.length, resent, completedBatches, rejectedUnanswered, held };
};
