/** The JSON 1.0 error namespaces DynamoDB answers with. */
const DYNAMODB = 'com.amazonaws.dynamodb.v20120810#';
const CORAL = 'com.amazon.coral.service#';

/**
 * An error DynamoDB answers as `{"__type": ..., "message": ...}` with its HTTP status; `extra` holds
 * fields of its own (a failed condition's `Item`, a cancelled transaction's `CancellationReasons`).
 */
export class DynamoDbError extends Error {
  readonly type: string;
  readonly status: number;
  readonly extra: Readonly<Record<string, unknown>>;

  constructor(type: string, message: string, status = 400, extra: Record<string, unknown> = {}) {
    super(message);
    this.name = 'DynamoDbError';
    this.type = type;
    this.status = status;
    this.extra = extra;
  }

  /** The response body, as DynamoDB writes it. */
  body(): Record<string, unknown> {
    return { __type: this.type, message: this.message, ...this.extra };
  }
}

export const validationError = (message: string): DynamoDbError =>
  new DynamoDbError(`${CORAL}ValidationException`, message);

/** A feature of DynamoDB this emulator does not have: refused by name rather than answered wrongly. */
export const unsupported = (feature: string): DynamoDbError =>
  validationError(`${feature} is not supported by the local DynamoDB emulator`);

export const serializationError = (message: string): DynamoDbError =>
  new DynamoDbError(`${CORAL}SerializationException`, message);

export const unknownOperation = (): DynamoDbError =>
  new DynamoDbError(`${CORAL}UnknownOperationException`, '');

export const resourceNotFound = (message = 'Requested resource not found'): DynamoDbError =>
  new DynamoDbError(`${DYNAMODB}ResourceNotFoundException`, message);

export const resourceInUse = (message: string): DynamoDbError =>
  new DynamoDbError(`${DYNAMODB}ResourceInUseException`, message);

export const CONDITION_FAILED_MESSAGE = 'The conditional request failed';

/** A failed ConditionExpression; `item` when the request asked for ALL_OLD on failure. */
export const conditionalCheckFailed = (item?: Record<string, unknown>): DynamoDbError =>
  new DynamoDbError(
    `${DYNAMODB}ConditionalCheckFailedException`,
    CONDITION_FAILED_MESSAGE,
    400,
    item ? { Item: item } : {},
  );

/** One entry of a cancelled transaction's `CancellationReasons`, in the order of the request's actions. */
export type CancellationReason = {
  readonly Code: string;
  readonly Message?: string;
  readonly Item?: Record<string, unknown>;
};

export const transactionCanceled = (reasons: readonly CancellationReason[]): DynamoDbError =>
  new DynamoDbError(
    `${DYNAMODB}TransactionCanceledException`,
    `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons
      .map((r) => r.Code)
      .join(', ')}]`,
    400,
    { CancellationReasons: reasons },
  );

export const idempotentParameterMismatch = (): DynamoDbError =>
  new DynamoDbError(
    `${DYNAMODB}IdempotentParameterMismatchException`,
    'The request uses the same client token as a previous, but non-identical request. Do not reuse a client token with different requests, unless the requests are identical.',
  );

export const internalError = (message: string): DynamoDbError =>
  new DynamoDbError(`${DYNAMODB}InternalServerError`, message, 500);
