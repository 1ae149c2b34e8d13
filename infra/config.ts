/**
 * Typed settings for every deployment of the pipeline. The CDK stack and the local stack both read
 * these, so queue timeouts, redrive counts, table keys and names cannot drift between AWS and a laptop.
 */

/** Settings of one Lambda function and the SQS event source that feeds it. */
export type FunctionSettings = {
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  /** Messages per invocation (the event source mapping's BatchSize). */
  readonly batchSize: number;
  /** Receives before a message moves to the dead-letter queue. */
  readonly maxReceiveCount: number;
  /** Seconds the event source mapping may wait to fill a batch. */
  readonly maxBatchingWindowSeconds: number;
};

export type TableSettings = {
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey?: string;
  readonly indexes: readonly {
    readonly name: string;
    readonly partitionKey: string;
    readonly sortKey?: string;
  }[];
};

export type StageSettings = {
  readonly stage: 'dev' | 'prod';
  /** Prefix of every resource name, so stages can share an account. */
  readonly prefix: string;
  readonly bucketName: string;
  readonly queues: {
    readonly ingest: string;
    readonly records: string;
  };
  readonly tables: {
    readonly uploads: TableSettings;
    readonly markers: TableSettings;
  };
  readonly functions: {
    readonly ingest: FunctionSettings;
    readonly indexer: FunctionSettings;
  };
  /** Days a message stays in a dead-letter queue (SQS allows at most 14). */
  readonly dlqRetentionDays: number;
  readonly logRetentionDays: number;
  readonly removalPolicy: 'destroy' | 'retain';
};

/**
 * Visibility timeout of a queue consumed by a Lambda function: six times the function timeout, as the
 * AWS guidance for SQS event sources recommends.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html
 */
export const visibilityTimeoutSeconds = (fn: FunctionSettings): number => fn.timeoutSeconds * 6;

/** The name of a queue's dead-letter queue. */
export const dlqName = (queueName: string): string => `${queueName}-dlq`;

const base = (stage: 'dev' | 'prod'): StageSettings => {
  const prefix = `msht-${stage}`;
  return {
    stage,
    prefix,
    bucketName: `${prefix}-data`,
    queues: { ingest: `${prefix}-ingest`, records: `${prefix}-records` },
    tables: {
      uploads: {
        name: `${prefix}-uploads`,
        partitionKey: 'uploadId',
        indexes: [
          { name: 'byOrg', partitionKey: 'org', sortKey: 'receivedAt' },
          { name: 'bySha256', partitionKey: 'sha256' },
        ],
      },
      markers: {
        name: `${prefix}-markers`,
        partitionKey: 'naturalKey',
        indexes: [{ name: 'bySyncState', partitionKey: 'pndSyncState', sortKey: 'updatedAt' }],
      },
    },
    functions: {
      ingest: {
        memoryMb: 1024,
        timeoutSeconds: 600,
        batchSize: 1,
        maxReceiveCount: 3,
        maxBatchingWindowSeconds: 0,
      },
      indexer: {
        memoryMb: 512,
        timeoutSeconds: 60,
        batchSize: 10,
        maxReceiveCount: 5,
        maxBatchingWindowSeconds: 1,
      },
    },
    dlqRetentionDays: 14,
    logRetentionDays: stage === 'prod' ? 731 : 30,
    removalPolicy: stage === 'prod' ? 'retain' : 'destroy',
  };
};

/** Settings per stage. The local stack uses `dev`. */
export const STAGES = { dev: base('dev'), prod: base('prod') } as const;

export type StageName = keyof typeof STAGES;

export const settingsFor = (stage: string): StageSettings => {
  if (stage === 'dev' || stage === 'prod') return STAGES[stage];
  throw new Error(`Unknown stage "${stage}": expected one of ${Object.keys(STAGES).join(', ')}`);
};
