/**
 * Typed errors. Every error the pipeline raises on purpose carries a `code` discriminant, an optional
 * `cause`, and context (file, row, field) that is safe to log: never a record's personal data.
 */
export type ErrorContext = {
  readonly file?: string;
  readonly row?: number;
  readonly field?: string;
  readonly [key: string]: string | number | boolean | undefined;
};

export class MshtError extends Error {
  readonly code: string;
  readonly context: ErrorContext;

  constructor(code: string, message: string, options: { cause?: unknown; context?: ErrorContext } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.context = options.context ?? {};
  }
}

/** Configuration (environment, settings, arguments) is missing or invalid. */
export class ConfigError extends MshtError {
  constructor(message: string, options: { cause?: unknown; context?: ErrorContext } = {}) {
    super('CONFIG_INVALID', message, options);
  }
}

/** A whole file cannot be processed (not CSV or JSON Lines, bad header, bad key, too large, ...). */
export class FileRejectedError extends MshtError {}

/** A dependency (S3, SQS, DynamoDB) failed in a way that a retry may fix. */
export class TransientError extends MshtError {
  constructor(message: string, options: { cause?: unknown; context?: ErrorContext } = {}) {
    super('TRANSIENT', message, options);
  }
}

/** Whether a value is one of our typed errors. */
export const isMshtError = (value: unknown): value is MshtError => value instanceof MshtError;
