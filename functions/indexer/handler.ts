import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { createAwsClients } from '../shared/aws/clients.ts';
import { loadFunctionConfig } from '../shared/config.ts';
import { createLedger } from '../shared/ledger.ts';
import { createLogger } from '../shared/logger.ts';
import { loadMarkerConfig } from '../shared/marker-config.ts';
import { loadPseudonymKeyConfig, pseudonymKeyLoader } from '../shared/pseudonym-key.ts';
import { publishUploadProgress } from '../shared/upload-progress.ts';
import { uploadStatusPublisher } from '../shared/upload-status.ts';
import { type IndexDeps, indexRecordsMessage } from './index-records.ts';
import { createDynamoIndexStore } from './marker-store.ts';

const logger = createLogger('msht-indexer');
const config = loadFunctionConfig();
const markerConfig = loadMarkerConfig();
const clients = createAwsClients();
const now = (): string => new Date().toISOString();

const pseudonymKey = pseudonymKeyLoader(loadPseudonymKeyConfig());

const deps: IndexDeps = {
  store: createDynamoIndexStore(clients.dynamodb, config.markersTable),
  pseudonymKey,
  now,
  rules: markerConfig.retention,
  ledger: createLedger(clients.dynamodb, config.uploadsTable, now),
  publishStatus: uploadStatusPublisher(clients.s3, config.bucket),
  // Progress is a hint for the organisation: a failed write is logged, never fails the message.
  publishProgress: async (entry, at) => {
    try {
      await publishUploadProgress(clients.s3, config.bucket, entry, at);
    } catch (error) {
      logger.warn('Upload progress not written', {
        uploadId: entry.uploadId,
        error: (error as { name?: string }).name ?? 'Error',
      });
    }
  },
};

const processor = new BatchProcessor(EventType.SQS);

const recordHandler = async (record: SQSRecord): Promise<void> => {
  const summary = await indexRecordsMessage(deps, record.body);
  logger.debug('Message indexed', { messageId: record.messageId, ...summary });
};

/**
 * Indexer Lambda: consumes records messages and keeps the markers table and its change log. One failing
 * message never fails its batch: it alone is reported in `batchItemFailures`, retried, and finally
 * dead-lettered.
 */
export const handler = middy(
  async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
    processPartialResponse(event, recordHandler, processor, { context }),
).use(injectLambdaContext(logger));
