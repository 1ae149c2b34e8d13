import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { createAwsClients } from '../shared/aws/clients.ts';
import { createLogger } from '../shared/logger.ts';
import { requestOfEvent } from './aggregate-event.ts';
import { type AggregateMonthResult, aggregateMonth } from './aggregate-month.ts';
import { loadAggregateConfig } from './config.ts';

const logger = createLogger('msht-aggregate');
const config = loadAggregateConfig();
const clients = createAwsClients();

/**
 * Aggregation Lambda, run by the monthly EventBridge schedule or on demand: works out the month from the
 * event, aggregates it and returns the run id, headline figures and report keys.
 */
export const handler = middy(
  async (event: unknown, _context: Context): Promise<AggregateMonthResult> =>
    aggregateMonth({
      ...requestOfEvent(event),
      deps: {
        s3: clients.s3,
        dynamodb: clients.dynamodb,
        bucket: config.bucket,
        uploadsTable: config.uploadsTable,
        markersTable: config.markersTable,
        submissionDays: config.submissionDays,
        disclosure: config.disclosure,
        publication: config.publication,
        ...(config.schedule === undefined ? {} : { schedule: config.schedule }),
        now: () => new Date(),
        log: (message, fields) => logger.info(message, fields),
      },
    }),
).use(injectLambdaContext(logger));
