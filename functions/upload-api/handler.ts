import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, LambdaFunctionURLEvent } from 'aws-lambda';
import { createAwsClients } from '../shared/aws/clients.ts';
import { createLogger } from '../shared/logger.ts';
import { loadUploadApiConfig } from './config.ts';
import { issueUpload } from './issue-upload.ts';

const logger = createLogger('msht-upload-api');
const config = loadUploadApiConfig();
const clients = createAwsClients();

/** Where the form is posted: the bucket's regional endpoint, or the S3 endpoint the SDK is pointed at. */
const formUrl = (region: string): string => {
  const endpoint = process.env.AWS_ENDPOINT_URL_S3 || process.env.AWS_ENDPOINT_URL;
  return endpoint
    ? `${endpoint.replace(/\/$/, '')}/${config.landingBucket}`
    : `https://${config.landingBucket}.s3.${region}.amazonaws.com/`;
};

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
 * signed by an organisation's upload role returns a presigned POST form for that organisation's prefix.
 * Logs the organisation and key only.
 */
export const handler = middy(
  async (event: LambdaFunctionURLEvent, _context: Context): Promise<UploadApiResponse> => {
    let body: unknown;
    try {
      const text = event.isBase64Encoded
        ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
        : event.body;
      body = JSON.parse(text ?? '');
    } catch {
      return json(400, { message: 'The body must be JSON: {"fileName": "...", "period": "YYYY-MM"}' });
    }
    // Function URLs with AWS_IAM auth report the signer here (not in the API Gateway v2 typings).
    const iam = (event.requestContext as { authorizer?: { iam?: { userArn?: string } } }).authorizer?.iam;
    const region = await clients.s3.config.region();
    const answer = issueUpload(
      body,
      { userArn: iam?.userArn, accountId: event.requestContext.accountId },
      {
        config,
        credentials: await clients.s3.config.credentials(),
        region,
        formUrl: formUrl(region),
        now: new Date(),
      },
    );
    if (answer.status === 200) logger.info('Upload form issued', { key: answer.body.key });
    else logger.warn('Upload form refused', { status: answer.status });
    return json(answer.status, answer.body);
  },
).use(injectLambdaContext(logger));
