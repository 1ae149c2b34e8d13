import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { createAwsClients } from '../shared/aws/clients.ts';
import { createLogger } from '../shared/logger.ts';
import {
  checkStuckUploads,
  loadStuckUploadsConfig,
  STUCK_UPLOADS_NAMESPACE,
  STUCK_UPLOADS_SERVICE_NAME,
  type StuckUploadsResult,
  scanUnfinishedUploads,
} from './stuck-uploads.ts';

const config = loadStuckUploadsConfig();
const logger = createLogger(STUCK_UPLOADS_SERVICE_NAME);
const metrics = new Metrics({
  namespace: STUCK_UPLOADS_NAMESPACE,
  serviceName: STUCK_UPLOADS_SERVICE_NAME,
  defaultDimensions: { stage: config.stage },
});
const clients = createAwsClients();

/**
 * Stuck-uploads check Lambda (EventBridge schedule, every 15 minutes): publishes `UploadsStuckInProcessing`
 * on every run, 0 included, and logs the ids and org codes of uploads stuck in ingest.
 */
export const handler = middy(
  async (_event: unknown, _context: Context): Promise<StuckUploadsResult> =>
    checkStuckUploads({
      readUnfinished: () => scanUnfinishedUploads(clients.dynamodb, config.uploadsTable),
      now: () => new Date(),
      thresholdSeconds: config.thresholdSeconds,
      metrics,
      logger,
    }),
)
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
