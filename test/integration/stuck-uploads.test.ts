import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAwsClients } from '../../functions/shared/aws/clients.ts';
import { createLedger } from '../../functions/shared/ledger.ts';
import { checkStuckUploads, scanUnfinishedUploads } from '../../functions/stuck-uploads/stuck-uploads.ts';
import { type LocalStack, startLocalStack } from '../../infra/local/local-stack.ts';
import type { UploadLedgerEntry, UploadStatus } from '../../schemas/index.ts';
import { stuckAfterSeconds } from '../../schemas/settings/function-settings.ts';

const HOUR_MS = 3_600_000;
const ORG = 'PF-E23000001';
const OTHER_ORG = 'NA-NCA';

let stack: LocalStack;
let clients: ReturnType<typeof createAwsClients>;

const entry = (
  uploadId: string,
  status: UploadStatus,
  receivedAt: Date,
  org: UploadLedgerEntry['org'] = ORG,
): UploadLedgerEntry => ({
  uploadId,
  org,
  period: '2026-10',
  key: `incoming/${org}/2026-10/subjects.csv`,
  fileName: 'subjects.csv',
  recordType: 'subject',
  format: 'csv',
  sizeBytes: 10,
  status,
  counts: { rows: 0, accepted: 0, warnings: 0, rejected: 0, indexed: 0 },
  receivedAt: receivedAt.toISOString(),
  schemaVersion: 1,
  attempts: 0,
});

beforeAll(async () => {
  stack = await startLocalStack({
    handlers: {
      ingest: async () => ({ batchItemFailures: [] }),
      indexer: async () => ({ batchItemFailures: [] }),
    },
    applyEnv: true,
  });
  clients = createAwsClients();
  const ledger = createLedger(clients.dynamodb, stack.resources.tables.uploads);
  const now = Date.now();
  const longAgo = new Date(now - 4 * HOUR_MS);
  // Received long ago and moved to PROCESSING as ingest does it: its worker died.
  await ledger.begin(entry('u-died', 'RECEIVED', longAgo));
  await ledger.update('u-died', { status: 'PROCESSING', attempts: 1 });
  await ledger.begin(entry('u-never-started', 'RECEIVED', new Date(now - 5 * HOUR_MS), OTHER_ORG));
  await ledger.begin(entry('u-running', 'PROCESSING', new Date(now - 60_000)));
  await ledger.begin(entry('u-retrying', 'PROCESSING', new Date(now - 2 * HOUR_MS)));
  for (const status of ['QUEUED', 'INDEXED', 'FAILED', 'QUARANTINED', 'DUPLICATE'] as const)
    await ledger.begin(entry(`u-${status.toLowerCase()}`, status, longAgo));
});

afterAll(async () => {
  clients?.dynamodb.destroy();
  await stack?.stop();
});

describe('stuck uploads on the local stack', () => {
  it('the adapter reads only the RECEIVED and PROCESSING entries, with ids, org, status and time', async () => {
    // Act
    const entries = await scanUnfinishedUploads(clients.dynamodb, stack.resources.tables.uploads);

    // Assess
    expect(entries.map((e) => e.uploadId).sort()).toEqual([
      'u-died',
      'u-never-started',
      'u-retrying',
      'u-running',
    ]);
    for (const e of entries)
      expect(Object.keys(e).sort()).toEqual(['org', 'receivedAt', 'status', 'uploadId']);
  });

  it('reports the uploads unfinished for longer than ingest can run with the stage settings', async () => {
    // Prepare
    const metrics = { addMetric: vi.fn() };
    const logger = { info: vi.fn(), warn: vi.fn() };

    // Act
    const result = await checkStuckUploads({
      readUnfinished: () => scanUnfinishedUploads(clients.dynamodb, stack.resources.tables.uploads),
      now: () => new Date(),
      thresholdSeconds: stuckAfterSeconds(stack.settings.functions.ingest),
      metrics,
      logger,
    });

    // Assess
    expect(result.stuck.map(({ uploadId, org, status }) => ({ uploadId, org, status }))).toEqual([
      { uploadId: 'u-never-started', org: OTHER_ORG, status: 'RECEIVED' },
      { uploadId: 'u-died', org: ORG, status: 'PROCESSING' },
    ]);
    expect(metrics.addMetric).toHaveBeenCalledExactlyOnceWith('UploadsStuckInProcessing', 'Count', 2);
  });

  it('the deployed handler publishes the count as EMF from the environment the stack gives it', async () => {
    // Prepare
    const lines: string[] = [];
    const capture = (chunk: string | Uint8Array) => {
      lines.push(...String(chunk).split('\n'));
      return true;
    };
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    const { handler } = await import('../../functions/stuck-uploads/handler.ts');

    // Act
    try {
      await handler({}, {
        functionName: `${stack.settings.prefix}-stuck-uploads`,
        awsRequestId: 'req-1',
        getRemainingTimeInMillis: () => 60_000,
      } as Context);
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
    }

    // Assess
    const emf = lines
      .filter((l) => l.includes('"_aws"'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(emf).toEqual([
      expect.objectContaining({ UploadsStuckInProcessing: 2, service: 'msht-stuck-uploads', stage: 'dev' }),
    ]);
  });
});
