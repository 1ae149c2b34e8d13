import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { createAwsClients } from '../shared/aws/clients.ts';
import { ConfigError } from '../shared/errors.ts';
import { createLogger } from '../shared/logger.ts';
import { loadMarkerConfig } from '../shared/marker-config.ts';
import { exportPndBatch, type PndExportResult } from './export.ts';
import { createDynamoPndStore } from './pnd-store.ts';
import { s3ObjectStore } from './s3-objects.ts';

const logger = createLogger('msht-pnd-export');
const config = loadMarkerConfig();
const clients = createAwsClients();

/**
 * PND export Lambda (EventBridge schedule): writes PENDING markers as a PND batch under the batch
 * prefix and marks them SENT, as `msht pnd export` does. Reserved concurrency 1.
 */
export const handler = middy(async (_event: unknown, _context: Context): Promise<PndExportResult> => {
  if (!config.bucket) throw new ConfigError('MSHT_BUCKET is not set');
  const result = await exportPndBatch({
    pnd: createDynamoPndStore(clients.dynamodb, config.markersTable),
    objects: s3ObjectStore(clients.s3, config.bucket),
    now: () => new Date().toISOString(),
    settings: config.pnd,
  });
  logger.info('PND export finished', { ...result, completedBatches: result.completedBatches.length });
  return result;
}).use(injectLambdaContext(logger));
