import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The pipeline's structured JSON logger. Log short messages with ids and counts in fields; never log
 * a record or a row value (they hold personal data).
 */
export const createLogger = (serviceName: string): Logger => new Logger({ serviceName });
