import type { STSClient } from '@aws-sdk/client-sts';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import type { UploadApiConfig } from './config.ts';
import { type FunctionIdentity, functionUrlCaller } from './function-url-event.ts';
import { issueUpload, type UploadAnswer } from './issue-upload.ts';
import { assumeSignerSession } from './signer-session.ts';

/** Refused before anything else is read: the event is not a Function URL request (a direct Invoke). */
const NOT_A_FUNCTION_URL_REQUEST: UploadAnswer = {
  status: 403,
  body: { message: 'Only an organisation’s upload role may ask for an upload form' },
};

/**
 * The upload API's core: refuses an event that is not a Function URL request with IAM auth (403, no form),
 * reads the JSON body, and issues the caller's organisation a form signed with a signer session scoped to
 * its prefix (`assumeSignerSession`). STS client, clock and form URL are given.
 */
export const answerUploadRequest = async (
  event: LambdaFunctionURLEvent,
  deps: {
    readonly config: UploadApiConfig;
    readonly sts: STSClient;
    readonly fn: FunctionIdentity;
    readonly formUrl: string;
    readonly now: Date;
  },
): Promise<UploadAnswer> => {
  const caller = functionUrlCaller(event, deps.fn);
  if (!caller) return NOT_A_FUNCTION_URL_REQUEST;
  let body: unknown;
  try {
    const text = event.isBase64Encoded
      ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
      : event.body;
    body = JSON.parse(text ?? '');
  } catch {
    return {
      status: 400,
      body: { message: 'The body must be JSON: {"fileName": "...", "period": "YYYY-MM"}' },
    };
  }
  const { config, fn } = deps;
  return issueUpload(body, caller, {
    config,
    signingCredentials: (org) =>
      assumeSignerSession(deps.sts, {
        roleArn: config.signerRoleArn,
        landingBucket: config.landingBucket,
        org,
        region: fn.region,
      }),
    region: fn.region,
    formUrl: deps.formUrl,
    now: deps.now,
  });
};
