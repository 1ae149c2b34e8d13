import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { EmulatorEndpoints } from './emulators.ts';

/**
 * Fake credentials for the emulators, also exported to the handlers. s3rver verifies SigV4 signatures and
 * knows only the key pair S3RVER/S3RVER; SQS and DynamoDB emulators accept any.
 */
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

/** SDK clients bound to the emulators explicitly, so they ignore whatever AWS settings the shell has. */
export type LocalClients = {
  readonly s3: S3Client;
  readonly sqs: SQSClient;
  readonly dynamodb: DynamoDBClient;
};

/** SDK client configuration for one emulator: its endpoint, the region and fake credentials. */
export const localAwsClientConfig = (endpoint: string, region: string) => ({
  endpoint,
  region,
  credentials: LOCAL_CREDENTIALS,
  maxAttempts: 3,
});

/** Creates SDK clients bound to the running emulators. */
export const createLocalClients = (endpoints: EmulatorEndpoints, region: string): LocalClients => ({
  // Path-style addressing (`http://127.0.0.1:port/bucket/key`): an IP address has no bucket subdomains.
  s3: new S3Client({ ...localAwsClientConfig(endpoints.s3, region), forcePathStyle: true }),
  sqs: new SQSClient(localAwsClientConfig(endpoints.sqs, region)),
  dynamodb: new DynamoDBClient(localAwsClientConfig(endpoints.dynamodb, region)),
});

/** Closes the clients' keep-alive connections so the emulators can stop. */
export const destroyLocalClients = (clients: LocalClients): void => {
  clients.s3.destroy();
  clients.sqs.destroy();
  clients.dynamodb.destroy();
};
