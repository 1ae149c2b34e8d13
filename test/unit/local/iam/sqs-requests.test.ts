import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncomingRequest } from '../../../../infra/local/iam/request-types.ts';
import { sqsAuthorizationRequests } from '../../../../infra/local/iam/sqs-requests.ts';
import { cannedServer, clientOptions } from './aws-sdk-server.ts';

const TARGET = { account: '111122223333', region: 'eu-west-2' };
const QUEUE_ARN = 'arn:aws:sqs:eu-west-2:111122223333:msht-dev-ingest';
const DLQ_ARN = 'arn:aws:sqs:eu-west-2:111122223333:msht-dev-ingest-dlq';

let server: Awaited<ReturnType<typeof cannedServer>>;
let sqs: SQSClient;
let queueUrl: string;
beforeAll(async () => {
  server = await cannedServer({
    status: 200,
    headers: { 'content-type': 'application/x-amz-json-1.0' },
    body: '{}',
  });
  sqs = new SQSClient(clientOptions(server.endpoint));
  queueUrl = `${server.endpoint}/000000000000/msht-dev-ingest`;
});
afterAll(() => server.close());

/** Sends through the real SQS client (JSON protocol) and maps what it sent. */
const mapped = async (command: object) => {
  const before = server.seen.length;
  await sqs.send(command as never).catch(() => undefined);
  const seen = server.seen[before];
  if (!seen) throw new Error('the SDK sent nothing');
  const request: IncomingRequest = {
    method: seen.method,
    path: seen.url,
    query: '',
    headers: seen.headers as Record<string, string>,
  };
  return sqsAuthorizationRequests(request, Buffer.from(seen.body), TARGET);
};

const form = (body: string) =>
  sqsAuthorizationRequests(
    {
      method: 'POST',
      path: '/',
      query: '',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    },
    Buffer.from(body),
    TARGET,
  );

describe('sqsAuthorizationRequests, JSON protocol from the SQS client', () => {
  it('names the queue from QueueUrl, whatever the host', async () => {
    expect(await mapped(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x' }))).toEqual([
      { action: 'sqs:SendMessage', resource: QUEUE_ARN },
    ]);
    expect(await mapped(new ReceiveMessageCommand({ QueueUrl: queueUrl }))).toEqual([
      { action: 'sqs:ReceiveMessage', resource: QUEUE_ARN },
    ]);
  });

  it('authorises batches as their single operation', async () => {
    expect(
      await mapped(
        new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: [{ Id: '1', MessageBody: 'x' }] }),
      ),
    ).toEqual([{ action: 'sqs:SendMessage', resource: QUEUE_ARN }]);
    expect(
      await mapped(
        new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: [{ Id: '1', ReceiptHandle: 'r' }] }),
      ),
    ).toEqual([{ action: 'sqs:DeleteMessage', resource: QUEUE_ARN }]);
  });

  it('names the queue from QueueName for GetQueueUrl and CreateQueue, and * for ListQueues', async () => {
    expect(await mapped(new GetQueueUrlCommand({ QueueName: 'msht-dev-ingest' }))).toEqual([
      { action: 'sqs:GetQueueUrl', resource: QUEUE_ARN },
    ]);
    expect(await mapped(new CreateQueueCommand({ QueueName: 'msht-dev-ingest' }))).toEqual([
      { action: 'sqs:CreateQueue', resource: QUEUE_ARN },
    ]);
    expect(await mapped(new ListQueuesCommand({}))).toEqual([{ action: 'sqs:ListQueues', resource: '*' }]);
  });

  it('asks for everything a redrive needs on the dead-letter queue and the destination', async () => {
    expect(
      await mapped(new StartMessageMoveTaskCommand({ SourceArn: DLQ_ARN, DestinationArn: QUEUE_ARN })),
    ).toEqual([
      { action: 'sqs:StartMessageMoveTask', resource: DLQ_ARN },
      { action: 'sqs:ReceiveMessage', resource: DLQ_ARN },
      { action: 'sqs:DeleteMessage', resource: DLQ_ARN },
      { action: 'sqs:GetQueueAttributes', resource: DLQ_ARN },
      { action: 'sqs:SendMessage', resource: QUEUE_ARN },
    ]);
    expect(await mapped(new StartMessageMoveTaskCommand({ SourceArn: DLQ_ARN }))).toHaveLength(4);
  });
});

describe('sqsAuthorizationRequests, query protocol', () => {
  it('reads Action and QueueUrl from the form body', () => {
    expect(
      form(
        `Action=SendMessageBatch&QueueUrl=${encodeURIComponent('https://sqs.eu-west-2.amazonaws.com/111122223333/msht-dev-ingest')}`,
      ),
    ).toEqual([{ action: 'sqs:SendMessage', resource: QUEUE_ARN }]);
    expect(
      form('Action=ChangeMessageVisibilityBatch&QueueUrl=http%3A%2F%2Flocalhost%2F1%2Fmsht-dev-ingest'),
    ).toEqual([{ action: 'sqs:ChangeMessageVisibility', resource: QUEUE_ARN }]);
    expect(form('Action=GetQueueUrl&QueueName=msht-dev-ingest')).toEqual([
      { action: 'sqs:GetQueueUrl', resource: QUEUE_ARN },
    ]);
  });

  it('falls back to * when the request names no queue', () => {
    expect(form('Action=DeleteQueue')).toEqual([{ action: 'sqs:DeleteQueue', resource: '*' }]);
  });

  it('names the source of a move task from its handle, as SQS encodes it', () => {
    const handle = Buffer.from(JSON.stringify({ taskId: 't', sourceArn: DLQ_ARN })).toString('base64');
    expect(form(`Action=CancelMessageMoveTask&TaskHandle=${encodeURIComponent(handle)}`)).toEqual([
      { action: 'sqs:CancelMessageMoveTask', resource: DLQ_ARN },
    ]);
    expect(form(`Action=ListMessageMoveTasks&SourceArn=${encodeURIComponent(DLQ_ARN)}`)).toEqual([
      { action: 'sqs:ListMessageMoveTasks', resource: DLQ_ARN },
    ]);
  });
});
