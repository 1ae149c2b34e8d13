import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { createAwsClients } from '../shared/aws/clients.ts';
import { loadFunctionConfig } from '../shared/config.ts';
import { createLedger } from '../shared/ledger.ts';
import { createLogger } from '../shared/logger.ts';
import { loadPseudonymKeyConfig, pseudonymKeyLoader } from '../shared/pseudonym-key.ts';
import { uploadStatusPublisher } from '../shared/upload-status.ts';
import { type IngestDeps, ingestObject } from './ingest-object.ts';
import { loadIngestLimits } from './limits.ts';
import { DEFAULT_PACK_LIMITS } from './pack.ts';
import { objectsFromS3EventBody } from './s3-event.ts';

const logger = createLogger('msht-ingest');
const config = loadFunctionConfig();
const clients = createAwsClients();
const now = (): string => new Date().toISOString();

const deps: IngestDeps = {
  s3: clients.s3,
  sqs: clients.sqs,
  ledger: createLedger(clients.dynamodb, config.uploadsTable, now),
  publishStatus: uploadStatusPublisher(clients.s3, config.bucket),
  bucket: config.bucket,
  recordsQueueUrl: config.recordsQueueUrl,
  limits: loadIngestLimits(),
  pack: DEFAULT_PACK_LIMITS,
  pseudonymKey: pseudonymKeyLoader(loadPseudonymKeyConfig()),
  now,
  log: (level, message, fields) => logger[level](message, fields),
};

const processor = new BatchProcessor(EventType.SQS);

/** One SQS message holds one S3 event notification; each object it names is ingested in turn. */
const recordHandler = async (record: SQSRecord): Promise<void> => {
  for (const ref of objectsFromS3EventBody(record.body)) {
    await ingestObject(deps, ref);
  }
};

/**
 * Ingest Lambda: consumes S3 ObjectCreated notifications from the ingest queue. A message whose object
 * fails for a transient reason is reported in `batchItemFailures` and retried by SQS, then dead-lettered.
 */
export const handler = middy(
  async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
    processPartialResponse(event, recordHandler, processor, { context }),
).use(injectLambdaContext(logger));
