import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand, type ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ENV } from '../../../functions/shared/env-names.ts';
import { ConfigError } from '../../../functions/shared/errors.ts';
import {
  checkStuckUploads,
  findStuckUploads,
  type LedgerStatusView,
  loadStuckUploadsConfig,
  MAX_LOGGED_STUCK,
  STUCK_UPLOADS_METRIC,
  STUCK_UPLOADS_NAMESPACE,
  STUCK_UPLOADS_SERVICE_NAME,
  scanUnfinishedUploads,
} from '../../../functions/stuck-uploads/stuck-uploads.ts';
import { settingsFor, visibilityTimeoutSeconds } from '../../../infra/config.ts';
import { METRICS_NAMESPACE } from '../../../infra/constructs/pipeline-alarms.ts';
import { FUNCTIONS } from '../../../infra/function-registry.ts';
import { UPLOAD_STATUSES, type UploadStatus } from '../../../schemas/index.ts';
import { stuckAfterSeconds } from '../../../schemas/settings/function-settings.ts';

const NOW = new Date('2026-11-01T12:00:00.000Z');
const ORG = 'PF-E23000001';
const OTHER_ORG = 'NA-NCA';
const HOUR = 3600;

const entry = (
  uploadId: string,
  status: UploadStatus,
  ageSeconds: number,
  org: LedgerStatusView['org'] = ORG,
): LedgerStatusView => ({
  uploadId,
  org,
  status,
  receivedAt: new Date(NOW.getTime() - ageSeconds * 1000).toISOString(),
});

describe('stuckAfterSeconds', () => {
  it.each(['dev', 'prod'] as const)(
    '%s: every receive of the ingest message may hold it a visibility timeout',
    (stage) => {
      // Prepare
      const ingest = settingsFor(stage).functions.ingest;

      // Act
      const threshold = stuckAfterSeconds(ingest);

      // Assess
      expect(threshold).toBe(visibilityTimeoutSeconds(ingest) * ingest.maxReceiveCount);
      // The last attempt starts at most (n-1) visibility timeouts after the first and runs one timeout.
      expect(threshold).toBeGreaterThanOrEqual(
        (ingest.maxReceiveCount - 1) * visibilityTimeoutSeconds(ingest) + ingest.timeoutSeconds,
      );
    },
  );

  it('is 3 hours with the settings of both stages (600 s timeout, 3 receives)', () => {
    expect([
      stuckAfterSeconds(settingsFor('dev').functions.ingest),
      stuckAfterSeconds(settingsFor('prod').functions.ingest),
    ]).toEqual([3 * HOUR, 3 * HOUR]);
  });
});

describe('findStuckUploads', () => {
  it('reports RECEIVED and PROCESSING entries older than the threshold, oldest first', () => {
    // Prepare
    const entries = [
      entry('u-fresh', 'PROCESSING', HOUR),
      entry('u-old-processing', 'PROCESSING', 4 * HOUR),
      entry('u-old-received', 'RECEIVED', 5 * HOUR, OTHER_ORG),
      entry('u-old-queued', 'QUEUED', 9 * HOUR),
      entry('u-old-failed', 'FAILED', 9 * HOUR),
    ];

    // Act
    const stuck = findStuckUploads(entries, NOW, 3 * HOUR);

    // Assess
    expect(stuck).toEqual([
      {
        uploadId: 'u-old-received',
        org: OTHER_ORG,
        status: 'RECEIVED',
        receivedAt: entries[2]?.receivedAt,
        ageSeconds: 5 * HOUR,
      },
      {
        uploadId: 'u-old-processing',
        org: ORG,
        status: 'PROCESSING',
        receivedAt: entries[1]?.receivedAt,
        ageSeconds: 4 * HOUR,
      },
    ]);
  });

  it('an entry exactly at the threshold is not stuck yet; one second later it is', () => {
    // Prepare
    const entries = [entry('u-at', 'PROCESSING', 3 * HOUR), entry('u-past', 'PROCESSING', 3 * HOUR + 1)];

    // Act
    const stuck = findStuckUploads(entries, NOW, 3 * HOUR);

    // Assess
    expect(stuck.map((s) => s.uploadId)).toEqual(['u-past']);
  });

  it('reports an entry whose receivedAt cannot be read, with no age, and never one from the future', () => {
    // Prepare
    const entries: LedgerStatusView[] = [
      { uploadId: 'u-garbled', org: ORG, status: 'PROCESSING', receivedAt: 'not a time' },
      entry('u-future', 'PROCESSING', -HOUR),
    ];

    // Act
    const stuck = findStuckUploads(entries, NOW, 3 * HOUR);

    // Assess
    expect(stuck).toEqual([
      { uploadId: 'u-garbled', org: ORG, status: 'PROCESSING', receivedAt: 'not a time', ageSeconds: null },
    ]);
  });

  it('carries ids, org, status and time only, whatever else the ledger entry holds', () => {
    // Prepare
    const full = {
      ...entry('u-1', 'PROCESSING', 4 * HOUR),
      key: `incoming/${ORG}/2026-10/subjects.csv`,
      fileName: 'subjects.csv',
      failure: { code: 'X', message: 'detail' },
    };

    // Act
    const [stuck] = findStuckUploads([full], NOW, 3 * HOUR);

    // Assess
    expect(Object.keys(stuck ?? {}).sort()).toEqual([
      'ageSeconds',
      'org',
      'receivedAt',
      'status',
      'uploadId',
    ]);
  });

  it('property: reports exactly the unfinished entries older than the threshold', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            status: fc.constantFrom(...UPLOAD_STATUSES),
            ageSeconds: fc.integer({ min: -HOUR, max: 24 * HOUR }),
          }),
          { maxLength: 30 },
        ),
        fc.integer({ min: 0, max: 12 * HOUR }),
        (specs, threshold) => {
          // Prepare
          const entries = specs.map((s, i) => entry(`u-${i}`, s.status, s.ageSeconds));

          // Act
          const stuck = findStuckUploads(entries, NOW, threshold);

          // Assess
          const expected = specs
            .map((s, i) => ({ ...s, uploadId: `u-${i}` }))
            .filter(
              (s) => (s.status === 'RECEIVED' || s.status === 'PROCESSING') && s.ageSeconds > threshold,
            );
          expect(stuck.map((s) => s.uploadId).sort()).toEqual(expected.map((s) => s.uploadId).sort());
          const ages = stuck.map((s) => s.ageSeconds ?? 0);
          expect(ages).toEqual([...ages].sort((a, b) => b - a));
        },
      ),
    );
  });
});

describe('checkStuckUploads', () => {
  const fakes = (entries: readonly LedgerStatusView[]) => {
    const metrics = { addMetric: vi.fn() };
    const logger = { info: vi.fn(), warn: vi.fn() };
    const deps = {
      readUnfinished: async () => entries,
      now: () => NOW,
      thresholdSeconds: 3 * HOUR,
      metrics,
      logger,
    };
    return { deps, metrics, logger };
  };

  it('records 0 when nothing is stuck, so the alarm sees a healthy check', async () => {
    // Prepare
    const { deps, metrics, logger } = fakes([entry('u-fresh', 'PROCESSING', 60)]);

    // Act
    const result = await checkStuckUploads(deps);

    // Assess
    expect(result.count).toBe(0);
    expect(metrics.addMetric).toHaveBeenCalledExactlyOnceWith(STUCK_UPLOADS_METRIC, 'Count', 0);
    expect(logger.info).toHaveBeenCalledExactlyOnceWith('No uploads stuck in ingest', {
      count: 0,
      thresholdSeconds: 3 * HOUR,
    });
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('records the count and logs one line with the ids and org codes of the stuck uploads', async () => {
    // Prepare
    const { deps, metrics, logger } = fakes([
      entry('u-a', 'PROCESSING', 4 * HOUR),
      entry('u-b', 'RECEIVED', 5 * HOUR, OTHER_ORG),
      entry('u-c', 'PROCESSING', 60),
    ]);

    // Act
    const result = await checkStuckUploads(deps);

    // Assess
    expect(result.count).toBe(2);
    expect(metrics.addMetric).toHaveBeenCalledExactlyOnceWith(STUCK_UPLOADS_METRIC, 'Count', 2);
    expect(logger.warn).toHaveBeenCalledExactlyOnceWith('Uploads stuck in ingest', {
      count: 2,
      thresholdSeconds: 3 * HOUR,
      stuck: [
        { uploadId: 'u-b', org: OTHER_ORG, status: 'RECEIVED', ageSeconds: 5 * HOUR },
        { uploadId: 'u-a', org: ORG, status: 'PROCESSING', ageSeconds: 4 * HOUR },
      ],
    });
  });

  it('names at most MAX_LOGGED_STUCK uploads in the log line but counts them all', async () => {
    // Prepare
    const many = Array.from({ length: MAX_LOGGED_STUCK + 5 }, (_, i) =>
      entry(`u-${i}`, 'PROCESSING', 4 * HOUR + i),
    );
    const { deps, metrics, logger } = fakes(many);

    // Act
    await checkStuckUploads(deps);

    // Assess
    expect(metrics.addMetric).toHaveBeenCalledWith(STUCK_UPLOADS_METRIC, 'Count', MAX_LOGGED_STUCK + 5);
    const [, fields] = logger.warn.mock.calls[0] as [string, { stuck: unknown[]; notListed: number }];
    expect([fields.stuck.length, fields.notListed]).toEqual([MAX_LOGGED_STUCK, 5]);
  });

  it('records nothing when the ledger cannot be read, so the alarm sees missing data, not a false 0', async () => {
    // Prepare
    const { deps, metrics } = fakes([]);
    const failing = { ...deps, readUnfinished: () => Promise.reject(new Error('AccessDenied')) };

    // Act
    const run = checkStuckUploads(failing);

    // Assess
    await expect(run).rejects.toThrow('AccessDenied');
    expect(metrics.addMetric).not.toHaveBeenCalled();
  });
});

describe('scanUnfinishedUploads', () => {
  const dbMock = mockClient(DynamoDBDocumentClient);
  beforeEach(() => dbMock.reset());

  it('scans every page for RECEIVED and PROCESSING entries, projecting only what the check needs', async () => {
    // Prepare
    const first = entry('u-1', 'PROCESSING', 10);
    const second = entry('u-2', 'RECEIVED', 20);
    // Each request's input as it was sent (the SDK's paginator reuses one input object between pages).
    const inputs: ScanCommandInput[] = [];
    const pages = [{ Items: [first], LastEvaluatedKey: { uploadId: 'u-1' } }, { Items: [second] }];
    dbMock.on(ScanCommand).callsFake((input: ScanCommandInput) => {
      inputs.push(structuredClone(input));
      return pages[inputs.length - 1];
    });
    const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-2' }));

    // Act
    const entries = await scanUnfinishedUploads(db, 'msht-dev-uploads');

    // Assess
    expect(entries).toEqual([first, second]);
    expect(inputs.map((i) => i.ExclusiveStartKey)).toEqual([undefined, { uploadId: 'u-1' }]);
    expect(inputs[0]).toMatchObject({
      TableName: 'msht-dev-uploads',
      FilterExpression: '#status IN (:received, :processing)',
      ProjectionExpression: 'uploadId, org, #status, receivedAt',
      ExpressionAttributeValues: { ':received': 'RECEIVED', ':processing': 'PROCESSING' },
    });
  });
});

describe('loadStuckUploadsConfig', () => {
  it('reads the stage, the uploads table and the threshold, the three variables the stack sets', () => {
    expect(
      loadStuckUploadsConfig({
        [ENV.stage]: 'prod',
        [ENV.uploadsTable]: 'msht-prod-uploads',
        [ENV.stuckAfterSeconds]: '10800',
      }),
    ).toEqual({ stage: 'prod', uploadsTable: 'msht-prod-uploads', thresholdSeconds: 10_800 });
  });

  it('refuses a missing stage (the metric dimension) rather than guessing one', () => {
    expect(() => loadStuckUploadsConfig({ [ENV.uploadsTable]: 'msht-prod-uploads' })).toThrow(ConfigError);
    expect(() => loadStuckUploadsConfig({ [ENV.uploadsTable]: 'msht-prod-uploads' })).toThrow(/MSHT_STAGE/);
  });
});

describe('the metric matches the alarm', () => {
  it('namespace and service are those PipelineAlarms.uploadsStuck and the stack use', () => {
    expect([STUCK_UPLOADS_NAMESPACE, STUCK_UPLOADS_SERVICE_NAME]).toEqual([
      METRICS_NAMESPACE,
      FUNCTIONS.stuckUploads.service,
    ]);
  });
});

describe('handler', () => {
  const dbMock = mockClient(DynamoDBDocumentClient);
  const saved = { ...process.env };
  let output: string[];

  beforeEach(() => {
    dbMock.reset();
    vi.resetModules();
    Object.assign(process.env, {
      [ENV.stage]: 'prod',
      [ENV.uploadsTable]: 'msht-prod-uploads',
      [ENV.stuckAfterSeconds]: String(stuckAfterSeconds(settingsFor('prod').functions.ingest)),
      AWS_REGION: 'eu-west-2',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    });
    delete process.env.POWERTOOLS_DEV;
    delete process.env.POWERTOOLS_METRICS_DISABLED;
    output = [];
    // Powertools writes EMF to stdout and warnings to stderr, each one JSON line.
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        output.push(String(chunk));
        return true;
      });
    }
  });

  afterEach(() => {
    vi.restoreAllMocks();
    process.env = { ...saved };
  });

  const context = {
    functionName: 'msht-prod-stuck-uploads',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-2:111122223333:function:msht-prod-stuck-uploads',
    memoryLimitInMB: '256',
    awsRequestId: 'req-1',
    getRemainingTimeInMillis: () => 60_000,
  } as Context;

  const emf = () =>
    output
      .flatMap((chunk) => chunk.split('\n'))
      .filter((line) => line.includes('"_aws"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  const invoke = async () => {
    const { handler } = await import('../../../functions/stuck-uploads/handler.ts');
    return handler({}, context);
  };

  it('publishes UploadsStuckInProcessing = 0 with the alarm’s namespace and dimensions when nothing is stuck', async () => {
    // Prepare
    dbMock.on(ScanCommand).resolves({ Items: [] });

    // Act
    await invoke();

    // Assess
    const [metric, ...more] = emf();
    expect(more).toEqual([]);
    expect(metric).toMatchObject({
      service: 'msht-stuck-uploads',
      stage: 'prod',
      [STUCK_UPLOADS_METRIC]: 0,
      _aws: {
        CloudWatchMetrics: [
          {
            Namespace: 'msht',
            Dimensions: [['service', 'stage']],
            Metrics: [{ Name: STUCK_UPLOADS_METRIC, Unit: 'Count' }],
          },
        ],
      },
    });
  });

  it('publishes the count of stuck uploads and logs their ids and org codes, nothing else of them', async () => {
    // Prepare
    const old = new Date(Date.now() - 4 * HOUR * 1000).toISOString();
    const fresh = new Date().toISOString();
    dbMock.on(ScanCommand).resolves({
      Items: [
        { uploadId: 'u-stuck', org: ORG, status: 'PROCESSING', receivedAt: old },
        { uploadId: 'u-running', org: ORG, status: 'PROCESSING', receivedAt: fresh },
      ],
    });

    // Act
    const result = await invoke();

    // Assess
    expect(result.count).toBe(1);
    expect(emf().map((m) => m[STUCK_UPLOADS_METRIC])).toEqual([1]);
    const logLine = output
      .flatMap((chunk) => chunk.split('\n'))
      .filter((line) => line.includes('Uploads stuck in ingest'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logLine).toEqual([
      expect.objectContaining({
        level: 'WARN',
        service: 'msht-stuck-uploads',
        count: 1,
        thresholdSeconds: 3 * HOUR,
        stuck: [{ uploadId: 'u-stuck', org: ORG, status: 'PROCESSING', ageSeconds: expect.any(Number) }],
      }),
    ]);
  });
});
