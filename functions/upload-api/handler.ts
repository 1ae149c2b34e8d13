import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { STSClient } from '@aws-sdk/client-sts';
import middy from '@middy/core';
import type { Context, LambdaFunctionURLEvent } from 'aws-lambda';
import { createAwsClients } from '../shared/aws/clients.ts';
import { createLogger } from '../shared/logger.ts';
import { answerUploadRequest } from './answer-request.ts';
import { loadUploadApiConfig } from './config.ts';
import { accountOfFunctionArn } from './function-url-event.ts';

const logger = createLogger('msht-upload-api');
const config = loadUploadApiConfig();
const clients = createAwsClients();
// Honours AWS_ENDPOINT_URL_STS (the local stack's STS), as each SDK v3 client honours its own variable.
const sts = new STSClient({});

/** The S3 endpoint the SDK is pointed at, read once: only the local stack sets one. */
const s3Endpoint = process.env.AWS_ENDPOINT_URL_S3 || process.env.AWS_ENDPOINT_URL;

/** Where the form is posted: the bucket's regional endpoint, or the S3 endpoint the SDK is pointed at. */
const formUrl = (region: string): string =>
  s3Endpoint
    ? `${s3Endpoint.replace(/\/$/, '')}/${config.landingBucket}`
    : `https://${config.landingBucket}.s3.${region}.amazonaws.com/`;

/** The Function URL response: JSON, never cached. */
export type UploadApiResponse = {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
};

const json = (statusCode: number, body: unknown): UploadApiResponse => ({
  statusCode,
  headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  body: JSON.stringify(body),
});

/**
 * Upload API Lambda (Function URL, AWS_IAM auth): POST `{"fileName": "subjects.csv", "period": "2026-10"}`
 * signed by an organisation's upload role returns a presigned POST form for that organisation's prefix,
 * signed with a session of the form-signer role scoped to that prefix (`answerUploadRequest`). Logs the
 * organisation and key only.
 */
export const handler = middy(
  async (event: LambdaFunctionURLEvent, context: Context): Promise<UploadApiResponse> => {
    const region = await clients.s3.config.region();
    const answer = await answerUploadRequest(event, {
      config,
      sts,
      fn: {
        region,
        accountId: accountOfFunctionArn(context.invokedFunctionArn),
        // Only the local stack overrides the S3 endpoint; only there may a loopback domain stand in.
        loopbackAllowed: Boolean(s3Endpoint),
      },
      formUrl: formUrl(region),
      now: new Date(),
    });
    if (answer.status === 200) logger.info('Upload form issued', { key: answer.body.key });
    else logger.warn('Upload form refused', { status: answer.status });
    return json(answer.status, answer.body);
  },
).use(injectLambdaContext(logger));
