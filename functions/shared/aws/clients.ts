import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * AWS SDK v3 clients. Endpoints, region and credentials come from the standard SDK environment
 * (`AWS_REGION`, `AWS_ENDPOINT_URL_S3`, ...), so the same code talks to AWS or to the local stack.
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
 */
export type AwsClients = {
  readonly s3: S3Client;
  readonly sqs: SQSClient;
  readonly dynamodb: DynamoDBDocumentClient;
};

/** Creates the clients. S3 uses path-style addressing when its endpoint is overridden (local emulator). */
export const createAwsClients = (env: NodeJS.ProcessEnv = process.env): AwsClients => {
  const s3 = new S3Client({ forcePathStyle: Boolean(env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL) });
  const sqs = new SQSClient({});
  const dynamodb = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return { s3, sqs, dynamodb };
};
