import {
  type AttributeDefinition,
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { pushQueueName } from '../../schemas/feed/push-consumers.ts';
import {
  dlqName,
  type FunctionSettings,
  type StageSettings,
  type TableSettings,
  visibilityTimeoutSeconds,
} from '../config.ts';

/** A queue the local stack created: its URL (for the SDK) and ARN (for event source records). */
export type LocalQueue = { readonly name: string; readonly url: string; readonly arn: string };

/** The resources the local stack creates, named as in the CDK stack. */
export type LocalResources = {
  /** Where organisations upload (incoming/); its ObjectCreated notifications feed the ingest queue. */
  readonly landingBucket: string;
  readonly bucket: string;
  readonly queues: {
    readonly ingest: LocalQueue;
    readonly ingestDlq: LocalQueue;
    readonly records: LocalQueue;
    readonly recordsDlq: LocalQueue;
    /** The push feed queue (consumed by downstream systems, so it has no redrive policy here). */
    readonly feed: LocalQueue;
  };
  /** Each push consumer's own queue (stage settings `pushConsumers`), in settings order. */
  readonly pushQueues: readonly { readonly name: string; readonly queue: LocalQueue }[];
  readonly tables: { readonly uploads: string; readonly markers: string; readonly feed: string };
  /** The ARN of the pseudonym key secret in the local Secrets Manager. */
  readonly pseudonymKeySecret: string;
};

const SECONDS_PER_DAY = 86_400;

/**
 * The CreateTable request for a table's settings: on-demand billing, string keys, GSIs projecting all
 * attributes (the CDK default).
 */
export const createTableInput = (table: TableSettings): CreateTableCommandInput => {
  const keyNames = new Set<string>([table.partitionKey]);
  if (table.sortKey) keyNames.add(table.sortKey);
  for (const index of table.indexes) {
    keyNames.add(index.partitionKey);
    if (index.sortKey) keyNames.add(index.sortKey);
  }
  const attributeDefinitions: AttributeDefinition[] = [...keyNames].map((name) => ({
    AttributeName: name,
    AttributeType: 'S',
  }));
  const keySchema = (partitionKey: string, sortKey: string | undefined) => [
    { AttributeName: partitionKey, KeyType: 'HASH' as const },
    ...(sortKey ? [{ AttributeName: sortKey, KeyType: 'RANGE' as const }] : []),
  ];
  return {
    TableName: table.name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: attributeDefinitions,
    KeySchema: keySchema(table.partitionKey, table.sortKey),
    ...(table.indexes.length === 0
      ? {}
      : {
          GlobalSecondaryIndexes: table.indexes.map((index) => ({
            IndexName: index.name,
            KeySchema: keySchema(index.partitionKey, index.sortKey),
            Projection: { ProjectionType: 'ALL' },
          })),
        }),
  };
};

/**
 * SQS takes whole seconds; settings with a fractional function timeout (tests use tiny ones) round up,
 * so a message never becomes visible again before its invocation has timed out.
 */
export const queueVisibilityTimeout = (fn: FunctionSettings): number =>
  Math.ceil(visibilityTimeoutSeconds(fn));

const ensureBucket = async (s3: S3Client, bucket: string): Promise<void> => {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch {
    // HeadBucket can fail for other reasons than a missing bucket (a request cut short on a loaded
    // machine, just after a restart): a bucket that turns out to exist is what was wanted.
    try {
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name !== 'BucketAlreadyExists' && name !== 'BucketAlreadyOwnedByYou') throw error;
    }
  }
};

const tableStatus = async (dynamodb: DynamoDBClient, name: string): Promise<string | undefined> => {
  try {
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: name }));
    return Table?.TableStatus;
  } catch (err) {
    if (err instanceof ResourceNotFoundException) return undefined;
    throw err;
  }
};

const ensureTable = async (dynamodb: DynamoDBClient, table: TableSettings): Promise<void> => {
  if ((await tableStatus(dynamodb, table.name)) === undefined) {
    try {
      await dynamodb.send(new CreateTableCommand(createTableInput(table)));
    } catch (err) {
      if (!(err instanceof ResourceInUseException)) throw err;
    }
  }
  // CreateTable answers CREATING, as DynamoDB does; the local emulator's table is ACTIVE at once.
  for (let attempt = 0; attempt < 100; attempt++) {
    if ((await tableStatus(dynamodb, table.name)) === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`Local DynamoDB table ${table.name} did not become ACTIVE`);
};

const createQueue = async (
  sqs: SQSClient,
  name: string,
  attributes: Record<string, string>,
): Promise<LocalQueue> => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  if (!QueueUrl) throw new Error(`Local SQS returned no URL for queue ${name}`);
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  const arn = Attributes?.QueueArn;
  if (!arn) throw new Error(`Local SQS returned no ARN for queue ${name}`);
  return { name, url: QueueUrl, arn };
};

/** A consumer queue and its DLQ, with the visibility timeout and redrive count of the consuming function. */
const createQueuePair = async (
  sqs: SQSClient,
  settings: StageSettings,
  name: string,
  fn: FunctionSettings,
): Promise<{ queue: LocalQueue; dlq: LocalQueue }> => {
  const dlq = await createQueue(sqs, dlqName(name), {
    MessageRetentionPeriod: String(settings.dlqRetentionDays * SECONDS_PER_DAY),
  });
  const queue = await createQueue(sqs, name, {
    VisibilityTimeout: String(queueVisibilityTimeout(fn)),
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: fn.maxReceiveCount }),
  });
  return { queue, dlq };
};

/**
 * Creates the bucket, the queues with their DLQs, and the tables from the stage settings, as the CDK
 * stack does. Idempotent: a persisted data directory already holds the bucket and the tables. The
 * pseudonym key secret is the local Secrets Manager's (infra/local/secrets-manager.ts); its ARN is given.
 */
export const createLocalResources = async (
  clients: { readonly s3: S3Client; readonly sqs: SQSClient; readonly dynamodb: DynamoDBClient },
  settings: StageSettings,
  pseudonymKeySecret: string,
): Promise<LocalResources> => {
  await ensureBucket(clients.s3, settings.landingBucketName);
  await ensureBucket(clients.s3, settings.bucketName);
  await Promise.all([
    ensureTable(clients.dynamodb, settings.tables.uploads),
    ensureTable(clients.dynamodb, settings.tables.markers),
    ensureTable(clients.dynamodb, settings.tables.feed),
  ]);
  const ingest = await createQueuePair(
    clients.sqs,
    settings,
    settings.queues.ingest,
    settings.functions.ingest,
  );
  const records = await createQueuePair(
    clients.sqs,
    settings,
    settings.queues.records,
    settings.functions.indexer,
  );
  const feed = await createQueue(clients.sqs, settings.queues.feed, {
    MessageRetentionPeriod: String(settings.dlqRetentionDays * SECONDS_PER_DAY),
  });
  const pushQueues: { name: string; queue: LocalQueue }[] = [];
  for (const { name } of settings.pushConsumers)
    pushQueues.push({
      name,
      queue: await createQueue(clients.sqs, pushQueueName(settings, name), {
        MessageRetentionPeriod: String(settings.dlqRetentionDays * SECONDS_PER_DAY),
      }),
    });
  return {
    landingBucket: settings.landingBucketName,
    bucket: settings.bucketName,
    queues: {
      ingest: ingest.queue,
      ingestDlq: ingest.dlq,
      records: records.queue,
      recordsDlq: records.dlq,
      feed,
    },
    pushQueues,
    tables: {
      uploads: settings.tables.uploads.name,
      markers: settings.tables.markers.name,
      feed: settings.tables.feed.name,
    },
    pseudonymKeySecret,
  };
};
