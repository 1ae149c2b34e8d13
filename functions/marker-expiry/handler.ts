import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { CommitDeps } from '../indexer/commit.ts';
import { createDynamoIndexStore } from '../indexer/marker-store.ts';
import { createAwsClients } from '../shared/aws/clients.ts';
import { createLogger } from '../shared/logger.ts';
import { loadMarkerConfig } from '../shared/marker-config.ts';
import { scanDueMarkers } from './due-markers.ts';
import { type ExpiryResult, expireDueMarkers } from './expire.ts';

const logger = createLogger('msht-marker-expiry');
const config = loadMarkerConfig();
const clients = createAwsClients();
const now = (): string => new Date().toISOString();
const deps: CommitDeps = {
  store: createDynamoIndexStore(clients.dynamodb, config.markersTable),
  now,
  rules: config.retention,
};

/**
 * Marker expiry Lambda (EventBridge schedule, daily): writes as EXPIRED every ACTIVE marker whose MoPI
 * group's rule is time-based disposal and whose review date has come (the feed sequencer logs the
 * change); the next PND export sends the REMOVE line. Reserved concurrency 1.
 */
export const handler = middy(async (_event: unknown, _context: Context): Promise<ExpiryResult> => {
  const today = now().slice(0, 10);
  const result = await expireDueMarkers(
    deps,
    scanDueMarkers(clients.dynamodb, config.markersTable, today),
    today,
  );
  if (result.expired > 0) logger.info('Markers expired', { ...result, today });
  else logger.debug('Markers expired', { ...result, today });
  return result;
}).use(injectLambdaContext(logger));
