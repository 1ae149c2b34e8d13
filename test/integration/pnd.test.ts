import { createHash } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summariseIndex } from '../../cli/marker-summary.ts';
import { applyPndAck } from '../../functions/pnd/ack.ts';
import { exportPndBatch, type PndExportDeps } from '../../functions/pnd/export.ts';
import { createDynamoPndStore } from '../../functions/pnd/pnd-store.ts';
import { s3ObjectStore } from '../../functions/pnd/s3-objects.ts';
import { createAwsClients } from '../../functions/shared/aws/clients.ts';
import { STAGES } from '../../infra/config.ts';
import { type LocalStack, startLocalStack } from '../../infra/local/local-stack.ts';
import { PndBatchLineSchema, PndManifestSchema } from '../../schemas/index.ts';

const ORG = 'PF-E23000014';
const CSV = [
  'source_record_ref,source_system,roles,as_at,business_area,intel_grading,handling_conditions',
  'P-1,NICHE,victim,2026-10-01T10:00:00Z,,,',
  'P-2,NICHE,suspect,2026-10-02T10:00:00Z,,,',
  'P-3,NICHE,witness,2026-10-03T10:00:00Z,,,',
  'P-4,NICHE,victim,2026-10-04T10:00:00Z,INTELLIGENCE,2/B/C,Not to be shared outside policing',
].join('\n');

let stack: LocalStack;
let clients: ReturnType<typeof createAwsClients>;
let deps: PndExportDeps;

const text = async (key: string): Promise<string> => {
  const res = await clients.s3.send(new GetObjectCommand({ Bucket: stack.resources.bucket, Key: key }));
  return (await res.Body?.transformToString('utf-8')) ?? '';
};
const overview = () =>
  summariseIndex(clients, { markers: stack.resources.tables.markers, feed: stack.resources.tables.feed });

beforeAll(async () => {
  stack = await startLocalStack({
    dataDir: await mkdtemp(join(tmpdir(), 'msht-pnd-')),
    logLevel: 'ERROR',
    schedules: { feedPublisher: false, pndExport: false },
  });
  clients = createAwsClients();
  deps = {
    pnd: createDynamoPndStore(clients.dynamodb, stack.resources.tables.markers),
    objects: s3ObjectStore(clients.s3, stack.resources.bucket),
    now: () => new Date().toISOString(),
    settings: STAGES.dev.pnd,
  };
  await clients.s3.send(
    new PutObjectCommand({
      Bucket: stack.resources.landingBucket,
      Key: `incoming/${ORG}/2026-10/subjects.csv`,
      Body: CSV,
    }),
  );
  await stack.waitForIdle({ timeoutMs: 30_000 });
});

afterAll(async () => {
  await stack?.stop();
});

describe('PND export and acknowledgement on the local stack', () => {
  it('exports pending markers once, holds handling code C, and applies an acknowledgement once', async () => {
    // Prepare
    expect((await overview()).bySyncState).toMatchObject({ PENDING: 2, HELD: 1, SENT: 0 });

    // Act: export twice
    const first = await exportPndBatch(deps);
    const second = await exportPndBatch(deps);

    // Assess: one batch of two, JSON Lines matching its manifest; the second export changes nothing
    expect(first.exported).toBe(2);
    expect(first.held).toBe(1);
    expect(second).toMatchObject({ exported: 0, completedBatches: [] });
    expect(second.batchId).toBeUndefined();
    const prefix = `${STAGES.dev.pnd.batchPrefix}${first.batchId}`;
    const body = await text(`${prefix}/markers.jsonl`);
    const manifest = PndManifestSchema.parse(JSON.parse(await text(`${prefix}/manifest.json`)));
    const lines = body
      .trim()
      .split('\n')
      .map((l) => PndBatchLineSchema.parse(JSON.parse(l)));
    expect(manifest).toMatchObject({ lines: 2, schemaVersion: 1, counts: { upsert: 2, remove: 0 } });
    expect(manifest.sha256).toBe(createHash('sha256').update(body).digest('hex'));
    expect(lines.map((l) => l.markerType).sort()).toEqual(['MSHT_SUSPECT', 'MSHT_VICTIM']);
    expect((await overview()).bySyncState).toMatchObject({ PENDING: 0, HELD: 1, SENT: 2 });

    // Act: acknowledge (one accepted, one rejected), twice, from a response file
    const victim = lines.find((l) => l.markerType === 'MSHT_VICTIM');
    const suspect = lines.find((l) => l.markerType === 'MSHT_SUSPECT');
    const ack = {
      batchId: first.batchId,
      sha256: manifest.sha256,
      results: [
        { markerId: victim?.markerId, exportSeq: victim?.exportSeq, outcome: 'ACKED', pndRef: 'PND-000001' },
        {
          markerId: suspect?.markerId,
          exportSeq: suspect?.exportSeq,
          outcome: 'REJECTED',
          reason: 'Unknown source system',
        },
      ],
    };
    const applied = await applyPndAck(deps, ack);
    const again = await applyPndAck(deps, ack);

    // Assess
    expect(applied).toMatchObject({ acked: 1, rejected: 1, unchanged: 0 });
    expect(again).toMatchObject({ acked: 0, rejected: 0, unchanged: 2 });
    expect((await overview()).bySyncState).toMatchObject({
      PENDING: 0,
      HELD: 1,
      SENT: 0,
      ACKED: 1,
      REJECTED: 1,
    });
    expect((await exportPndBatch(deps)).exported).toBe(0);
  });

  it('re-queues a marker PND rejects as temporary, and a held marker only once released', async () => {
    // Prepare
    const [held] = await deps.pnd.listByState('HELD');
    if (!held) throw new Error('no held marker');

    // Act
    expect(await deps.pnd.release(held.naturalKey, deps.now())).toBe(true);
    const batch = await exportPndBatch(deps);
    const line = PndBatchLineSchema.parse(
      JSON.parse((await text(`${STAGES.dev.pnd.batchPrefix}${batch.batchId}/markers.jsonl`)).trim()),
    );
    const result = await applyPndAck(deps, {
      batchId: batch.batchId,
      results: [
        {
          markerId: line.markerId,
          exportSeq: line.exportSeq,
          outcome: 'REJECTED',
          reason: 'busy',
          retryable: true,
        },
      ],
    });

    // Assess
    expect(batch.exported).toBe(1);
    expect(line.intelGrading).toMatchObject({ handling: 'C' });
    expect(result.requeued).toBe(1);
    expect((await overview()).bySyncState).toMatchObject({ PENDING: 1, HELD: 0 });
  });
});
