import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { createAwsClients } from '../shared/aws/clients.ts';
import { ConfigError } from '../shared/errors.ts';
import { createLogger } from '../shared/logger.ts';
import { loadMarkerConfig } from '../shared/marker-config.ts';
import { createDynamoFeedLog } from './feed-log.ts';
import { type PublishResult, publishFeed, sqsSender } from './publish.ts';

const logger = createLogger('msht-feed-publisher');
const config = loadMarkerConfig();
const clients = createAwsClients();
const now = (): string => new Date().toISOString();

/**
 * Feed publisher Lambda (EventBridge schedule): pushes committed changes to the feed queue and voids
 * gaps left by writers that died. Reserved concurrency 1; a concurrent run would only stop early.
 */
export const handler = middy(async (_event: unknown, _context: Context): Promise<PublishResult> => {
  if (!config.feedQueueUrl) throw new ConfigError('MSHT_FEED_QUEUE_URL is not set');
  const result = await publishFeed({
    log: createDynamoFeedLog(clients.dynamodb, config.feedTable, now),
    send: sqsSender(clients.sqs, config.feedQueueUrl),
    now,
    holeTimeoutMs: config.feed.holeTimeoutSeconds * 1000,
    maxPerRun: config.feed.maxPublishPerRun,
  });
  // Runs every minute (every second on the local stack): a run that found nothing new logs at DEBUG.
  if (result.published > 0 || result.voided > 0) logger.info('Feed published', { ...result });
  else logger.debug('Feed published', { ...result });
  return result;
}).use(injectLambdaContext(logger));
