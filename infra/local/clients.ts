import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { EmulatorEndpoints } from './emulators.ts';

/** An access key pair of the local stack (each persona and each function role has its own). */
export type LocalCredentials = { readonly accessKeyId: string; readonly secretAccessKey: string };

/**
 * The key pair for talking to a bare emulator, with no IAM gateway in front (benchmarks and tests of
 * one emulator): s3rver knows S3RVER/S3RVER, the SQS and DynamoDB emulators take any key.
 */
export const EMULATOR_CREDENTIALS: LocalCredentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** SDK clients bound to the emulators explicitly, so they ignore whatever AWS settings the shell has. */
export type LocalClients = {
  readonly s3: S3Client;
  readonly sqs: SQSClient;
  readonly dynamodb: DynamoDBClient;
};

/** SDK client configuration for one local endpoint: the endpoint, the region and the caller's keys. */
export const localAwsClientConfig = (
  endpoint: string,
  region: string,
  credentials: LocalCredentials = EMULATOR_CREDENTIALS,
) => ({
  endpoint,
  region,
  credentials,
  maxAttempts: 3,
});

/** Creates SDK clients bound to the local stack's endpoints, signing as `credentials`. */
export const createLocalClients = (
  endpoints: EmulatorEndpoints,
  region: string,
  credentials: LocalCredentials,
): LocalClients => ({
  // Path-style addressing (`http://127.0.0.1:port/bucket/key`): an IP address has no bucket subdomains.
  s3: new S3Client({ ...localAwsClientConfig(endpoints.s3, region, credentials), forcePathStyle: true }),
  sqs: new SQSClient(localAwsClientConfig(endpoints.sqs, region, credentials)),
  dynamodb: new DynamoDBClient(localAwsClientConfig(endpoints.dynamodb, region, credentials)),
});

/** Closes the clients' keep-alive connections so the emulators can stop. */
export const destroyLocalClients = (clients: LocalClients): void => {
  clients.s3.destroy();
  clients.sqs.destroy();
  clients.dynamodb.destroy();
};
