import {
  type PndAckFile,
  PndAckFileSchema,
  type PndBatchLine,
  PndBatchLineSchema,
  PndManifestSchema,
} from '../../schemas/index.ts';
import { sha256Hex } from '../shared/canonical-json.ts';
import { MshtError } from '../shared/errors.ts';
import { batchKeys, type ObjectStore } from './export.ts';
import type { PndStore } from './pnd-store.ts';
import { afterAck } from './state.ts';

export type PndAckDeps = {
  readonly pnd: PndStore;
  readonly objects: ObjectStore;
  readonly now: () => string;
  readonly settings: { readonly maxAttempts: number; readonly batchPrefix: string };
};

/** What applying an acknowledgement did. `unchanged`: already applied, or about content changed since. */
export type PndAckResultSummary = {
  readonly batchId: string;
  readonly acked: number;
  readonly rejected: number;
  readonly requeued: number;
  readonly unchanged: number;
  readonly unknown: number;
};

/**
 * Applies PND's response file to the markers of its batch: each result moves a marker that is still
 * SENT in that batch with that exported state (ACKED, REJECTED, or PENDING to retry). Applying the same
 * file again changes nothing. Throws when the batch is unknown or the file names a different sha256.
 */
export const applyPndAck = async (deps: PndAckDeps, input: unknown): Promise<PndAckResultSummary> => {
  const ack: PndAckFile = PndAckFileSchema.parse(input);
  const keys = batchKeys(deps.settings.batchPrefix, ack.batchId);
  const manifestText = await deps.objects.get(keys.manifest);
  const body = await deps.objects.get(keys.markers);
  if (manifestText === undefined || body === undefined) {
    throw new MshtError('PND_BATCH_UNKNOWN', `No complete PND batch ${ack.batchId}`, {
      context: { batchId: ack.batchId },
    });
  }
  const manifest = PndManifestSchema.parse(JSON.parse(manifestText));
  if (ack.sha256 && ack.sha256 !== manifest.sha256) {
    throw new MshtError(
      'PND_ACK_MISMATCH',
      `The response names sha256 ${ack.sha256}, batch ${ack.batchId} has ${manifest.sha256}`,
      {
        context: { batchId: ack.batchId },
      },
    );
  }
  if (sha256Hex(body) !== manifest.sha256) {
    throw new MshtError('PND_BATCH_CORRUPT', `Batch ${ack.batchId} does not match its manifest`, {
      context: { batchId: ack.batchId },
    });
  }
  const lines = new Map<string, PndBatchLine>();
  for (const text of body.split('\n')) {
    if (text.trim() === '') continue;
    const line = PndBatchLineSchema.parse(JSON.parse(text));
    lines.set(`${line.markerId}@${line.exportSeq}`, line);
  }
  const summary = { batchId: ack.batchId, acked: 0, rejected: 0, requeued: 0, unchanged: 0, unknown: 0 };
  const now = deps.now();
  const attemptsOf = new Map(
    (await deps.pnd.listByState('SENT'))
      .filter((m) => m.pndBatchId === ack.batchId)
      .map((m) => [m.naturalKey, m.pndAttempts] as const),
  );
  for (const result of ack.results) {
    const line = lines.get(`${result.markerId}@${result.exportSeq}`);
    if (!line) {
      summary.unknown++;
      continue;
    }
    // A marker no longer SENT in this batch keeps its state: the store's condition fails below.
    const attempts = attemptsOf.get(line.naturalKey) ?? deps.settings.maxAttempts;
    const transition = afterAck(result, attempts, deps.settings.maxAttempts);
    if (
      await deps.pnd.answer(
        { naturalKey: line.naturalKey, feedSeq: line.exportSeq },
        ack.batchId,
        transition,
        now,
      )
    ) {
      if (transition.to === 'ACKED') summary.acked++;
      else if (transition.to === 'REJECTED') summary.rejected++;
      else summary.requeued++;
    } else summary.unchanged++;
  }
  return summary;
};
