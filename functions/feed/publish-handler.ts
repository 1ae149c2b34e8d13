import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { pushCursorName } from '../../schemas/feed/push-consumers.ts';
import { createAwsClients } from '../shared/aws/clients.ts';
import { ConfigError } from '../shared/errors.ts';
import { createLogger } from '../shared/logger.ts';
import { loadMarkerConfig } from '../shared/marker-config.ts';
import { createDynamoFeedLog } from './feed-log.ts';
import { createDynamoOutbox } from './outbox.ts';
import { type PublishResult, publishFeed, sqsSender } from './publish.ts';
import { type SequenceResult, sequenceFeed } from './sequence.ts';

const logger = createLogger('msht-feed-publisher');

/** What a run did: the sequencer's work, the default queue's publishing and each push consumer's. */
type FeedRunResult = SequenceResult &
  PublishResult & { readonly pushConsumers?: readonly (PublishResult & { readonly cursorName: string })[] };
const config = loadMarkerConfig();
const clients = createAwsClients();
const now = (): string => new Date().toISOString();

/**
 * Feed publisher Lambda (EventBridge schedule): first the feed's sequencer (logs every committed marker
 * state not yet in the log, functions/feed/sequence.ts), then pushes the log's new changes to the feed
 * queue. Reserved concurrency 1; a concurrent run would only stop early.
 */
export const handler = middy(async (_event: unknown, _context: Context): Promise<FeedRunResult> => {
  if (!config.feedQueueUrl) throw new ConfigError('MSHT_FEED_QUEUE_URL is not set');
  const log = createDynamoFeedLog(clients.dynamodb, config.feedTable, now);
  const sequenced = await sequenceFeed({
    log,
    outbox: createDynamoOutbox(clients.dynamodb, config.markersTable),
    now,
    maxPerRun: config.feed.maxPublishPerRun,
  });
  // The default queue, then each push consumer's own, each with its own cursor: one that is behind
  // or failing holds up no other.
  const queues = [
    { cursor: 'push', url: config.feedQueueUrl },
    ...(config.pushQueues ?? []).map((q) => ({ cursor: pushCursorName(q.name), url: q.url })),
  ];
  const runs: PublishResult[] = [];
  for (const queue of queues)
    runs.push(
      await publishFeed({
        log,
        send: sqsSender(clients.sqs, queue.url),
        now,
        holeTimeoutMs: config.feed.holeTimeoutSeconds * 1000,
        maxPerRun: config.feed.maxPublishPerRun,
        name: queue.cursor,
      }),
    );
  const [published = { published: 0, voided: 0, cursor: 0 }, ...others] = runs;
  const result: FeedRunResult = {
    ...sequenced,
    ...published,
    ...(others.length > 0
      ? { pushConsumers: others.map((r, i) => ({ cursorName: queues[i + 1]?.cursor ?? '', ...r })) }
      : {}),
  };
  // Runs every minute (every second on the local stack): a run that found nothing new logs at DEBUG.
  if (result.logged > 0 || result.published > 0 || result.voided > 0) logger.info('Feed published', result);
  else logger.debug('Feed published', result);
  return result;
}).use(injectLambdaContext(logger));
