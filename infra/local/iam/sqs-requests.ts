import { jsonBodyOf } from './query.ts';
import type { AuthorizationRequest, IncomingRequest, Target } from './request-types.ts';

/** Batch operations are authorised as the single operation they repeat. */
const BATCH_ACTIONS: Readonly<Record<string, string>> = {
  SendMessageBatch: 'sqs:SendMessage',
  DeleteMessageBatch: 'sqs:DeleteMessage',
  ChangeMessageVisibilityBatch: 'sqs:ChangeMessageVisibility',
};

type SqsParameters = {
  readonly operation: string | undefined;
  readonly get: (name: string) => string | undefined;
};

/**
 * Current SDKs speak JSON (`x-amz-target: AmazonSQS.<Operation>`, JSON body); older ones the query
 * protocol (`Action=<Operation>&QueueUrl=...`, form-encoded, in the body or for GET in the query string).
 */
const readParameters = (request: IncomingRequest, body: Buffer): SqsParameters => {
  const target = request.headers['x-amz-target'];
  if (target?.startsWith('AmazonSQS.')) {
    // A body that is not JSON names no queue: the request is then authorised against `*` (see below).
    const json = jsonBodyOf(body);
    return {
      operation: target.slice('AmazonSQS.'.length),
      get: (name) => (typeof json[name] === 'string' ? (json[name] as string) : undefined),
    };
  }
  // Form encoding: '+' is a space here, as URLSearchParams reads it.
  const form = new URLSearchParams(request.method === 'GET' ? request.query : body.toString('utf8'));
  return { operation: form.get('Action') ?? undefined, get: (name) => form.get(name) ?? undefined };
};

/** `https://sqs.eu-west-2.amazonaws.com/000000000000/name` (any host) → `name`: the last path segment. */
const queueNameOfUrl = (queueUrl: string): string | undefined => {
  try {
    return new URL(queueUrl).pathname.split('/').filter(Boolean).at(-1);
  } catch {
    return undefined;
  }
};

/** CancelMessageMoveTask names only its task; the handle SQS returns encodes the source queue's ARN. */
const sourceArnOfTaskHandle = (handle: string): string | undefined =>
  /arn:aws:sqs:[^"\s,]+/.exec(Buffer.from(handle, 'base64').toString('utf8'))?.[0];

/**
 * What SQS asks IAM before serving a request: `sqs:<Operation>` (batches as their single operation) on the
 * queue named by QueueUrl (or QueueName for GetQueueUrl and CreateQueue). A queue the request does not name
 * becomes `*`, which only a policy granting every queue allows.
 */
export const sqsAuthorizationRequests = (
  request: IncomingRequest,
  body: Buffer,
  target: Target,
): AuthorizationRequest[] => {
  const params = readParameters(request, body);
  const operation = params.operation ?? 'Unknown';
  const action = BATCH_ACTIONS[operation] ?? `sqs:${operation}`;
  const queueArn = (name: string | undefined): string =>
    name ? `arn:aws:sqs:${target.region}:${target.account}:${name}` : '*';

  switch (operation) {
    case 'ListQueues':
      return [{ action, resource: '*' }];
    case 'GetQueueUrl':
    case 'CreateQueue':
      return [{ action, resource: queueArn(params.get('QueueName')) }];
    case 'ListMessageMoveTasks':
      return [{ action, resource: params.get('SourceArn') ?? '*' }];
    case 'CancelMessageMoveTask': {
      const handle = params.get('TaskHandle');
      return [{ action, resource: (handle && sourceArnOfTaskHandle(handle)) ?? '*' }];
    }
    case 'StartMessageMoveTask': {
      // A redrive reads and deletes the dead-letter queue's messages and sends them on, so SQS requires
      // sqs:StartMessageMoveTask, sqs:ReceiveMessage, sqs:DeleteMessage and sqs:GetQueueAttributes on the
      // source (the DLQ) and sqs:SendMessage on the destination
      // (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-configure-dead-letter-queue-redrive.html).
      // Without a DestinationArn messages go back to the queues they came from, which the request does not
      // name: SQS checks those itself and so cannot be asked here.
      const source = params.get('SourceArn') ?? '*';
      const destination = params.get('DestinationArn');
      return [
        { action: 'sqs:StartMessageMoveTask', resource: source },
        { action: 'sqs:ReceiveMessage', resource: source },
        { action: 'sqs:DeleteMessage', resource: source },
        { action: 'sqs:GetQueueAttributes', resource: source },
        ...(destination ? [{ action: 'sqs:SendMessage', resource: destination }] : []),
      ];
    }
    default: {
      const queueUrl = params.get('QueueUrl');
      return [{ action, resource: queueArn(queueUrl ? queueNameOfUrl(queueUrl) : undefined) }];
    }
  }
};
