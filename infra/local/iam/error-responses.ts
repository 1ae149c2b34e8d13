import { randomUUID } from 'node:crypto';
import type { PolicyViolation } from './post-policy.ts';
import type { AuthFailure, HttpResponse } from './request-types.ts';
import { xmlEscape } from './xml.ts';

/** The wire protocols the gateway answers in: SQS speaks JSON to current SDKs and XML to older ones. */
export type ErrorService = 's3' | 'sqs-json' | 'sqs-query' | 'dynamodb' | 'sts' | 'lambda' | 'secretsmanager';

export type ErrorResponse = HttpResponse;

export type AccessDeniedDetail = {
  readonly principalArn: string;
  readonly action: string;
  readonly resource: string;
  /** The clause after "because", e.g. `no identity-based policy allows the s3:GetObject action`. */
  readonly reason: string;
};

/** S3's REST error: a bare <Error> document (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html). */
const s3Error = (status: number, code: string, message: string, requestId: string): ErrorResponse => ({
  status,
  headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId },
  body:
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${xmlEscape(code)}</Code><Message>${xmlEscape(message)}</Message>` +
    `<RequestId>${requestId}</RequestId><HostId>${requestId}</HostId></Error>`,
});

/** The query protocol's <ErrorResponse>, namespaced by the service's API version. */
const queryError = (
  namespace: string,
  status: number,
  code: string,
  message: string,
  requestId: string,
): ErrorResponse => ({
  status,
  headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
  body:
    `<ErrorResponse xmlns="${namespace}"><Error><Type>Sender</Type><Code>${xmlEscape(code)}</Code>` +
    `<Message>${xmlEscape(message)}</Message><Detail/></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
});

const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
const SQS_NAMESPACE = 'http://queue.amazonaws.com/doc/2012-11-05/';

/**
 * The JSON 1.0 protocol's error: `__type` names the shape. SQS is "query compatible": it also sends the
 * query protocol's code in x-amzn-query-error (`Code;Sender`), which the SDKs prefer for the error's name,
 * so a caller sees AccessDenied as it did over XML.
 */
const jsonError = (
  status: number,
  type: string,
  message: string,
  requestId: string,
  queryCode?: string,
): ErrorResponse => ({
  status,
  headers: {
    'content-type': 'application/x-amz-json-1.0',
    'x-amzn-requestid': requestId,
    ...(queryCode ? { 'x-amzn-query-error': `${queryCode};Sender` } : {}),
  },
  body: JSON.stringify({ __type: `com.amazon.coral.service#${type}`, message }),
});

const errorFor = (
  service: ErrorService,
  status: number,
  code: string,
  message: string,
  requestId: string,
): ErrorResponse => {
  switch (service) {
    case 's3':
      return s3Error(status, code, message, requestId);
    case 'sts':
      return queryError(STS_NAMESPACE, status, code, message, requestId);
    case 'sqs-query':
      return queryError(SQS_NAMESPACE, status, code, message, requestId);
    case 'sqs-json':
      return jsonError(
        status,
        code === 'AccessDenied' ? 'AccessDeniedException' : code,
        message,
        requestId,
        code,
      );
    case 'dynamodb':
      // DynamoDB answers every client error with 400 and its own exception names.
      return jsonError(400, code, message, requestId);
    case 'secretsmanager':
      // JSON 1.1: the shape's bare name in __type, 400 for every client error.
      // https://docs.aws.amazon.com/secretsmanager/latest/apireference/CommonErrors.html
      return {
        status: status >= 500 ? status : 400,
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId },
        body: JSON.stringify({ __type: code, Message: message }),
      };
    case 'lambda':
      // Lambda's REST-JSON errors: the SDK names the error from x-amzn-errortype.
      return {
        status,
        headers: {
          'content-type': 'application/json',
          'x-amzn-errortype': code === 'AccessDenied' ? 'AccessDeniedException' : code,
          'x-amzn-requestid': requestId,
        },
        body: JSON.stringify({ Type: 'User', message }),
      };
  }
};

/** Any other error of a service, in its own wire shape (e.g. STS MalformedPolicyDocument, Lambda ResourceNotFoundException). */
export const serviceError = (
  service: ErrorService,
  status: number,
  code: string,
  message: string,
  requestId: string = randomUUID(),
): ErrorResponse => errorFor(service, status, code, message, requestId);

/** The sentence IAM writes for an implicit or explicit deny. */
const accessDeniedMessage = (detail: AccessDeniedDetail): string =>
  `User: ${detail.principalArn} is not authorized to perform: ${detail.action} on resource: ${detail.resource} because ${detail.reason}`;

/** The service's answer when the policy evaluator denies the request. */
export const accessDenied = (
  service: ErrorService,
  detail: AccessDeniedDetail,
  requestId: string = randomUUID(),
): ErrorResponse =>
  errorFor(
    service,
    403,
    service === 'dynamodb' || service === 'secretsmanager' ? 'AccessDeniedException' : 'AccessDenied',
    accessDeniedMessage(detail),
    requestId,
  );

type WireError = { readonly status: number; readonly code: string };

/**
 * How each service names an authentication failure. S3 has its own names; DynamoDB its own exceptions
 * (UnrecognizedClientException for an unknown key or token, InvalidSignatureException also for a stale
 * date); SQS and STS share the query protocol's common errors
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/CommonErrors.html).
 */
const wireError = (service: ErrorService, code: AuthFailure['code'] | PolicyViolation['code']): WireError => {
  if (service === 's3') {
    switch (code) {
      case 'MissingAuthenticationToken':
      case 'AccessDenied':
        // S3 treats an unsigned request as anonymous, and anonymous is denied.
        return { status: 403, code: 'AccessDenied' };
      case 'IncompleteSignature':
        return { status: 400, code: 'AuthorizationHeaderMalformed' };
      case 'InvalidAccessKeyId':
      case 'InvalidClientTokenId':
        return { status: 403, code: 'InvalidAccessKeyId' };
      case 'SignatureDoesNotMatch':
        return { status: 403, code: 'SignatureDoesNotMatch' };
      // S3 says AccessDenied "Request has expired" for a stale presigned URL (RequestTimeTooSkewed for a
      // skewed clock, which the local stack, sharing one clock, does not meet).
      case 'RequestExpired':
        return { status: 403, code: 'AccessDenied' };
      case 'InvalidToken':
        return { status: 400, code: 'InvalidToken' };
    }
  }
  if (service === 'dynamodb' || service === 'secretsmanager') {
    switch (code) {
      case 'MissingAuthenticationToken':
        return { status: 400, code: 'MissingAuthenticationTokenException' };
      case 'IncompleteSignature':
        return { status: 400, code: 'IncompleteSignatureException' };
      case 'InvalidAccessKeyId':
      case 'InvalidClientTokenId':
      case 'InvalidToken':
        return { status: 400, code: 'UnrecognizedClientException' };
      case 'SignatureDoesNotMatch':
      case 'RequestExpired':
        return { status: 400, code: 'InvalidSignatureException' };
      case 'AccessDenied':
        return { status: 400, code: 'AccessDeniedException' };
    }
  }
  switch (code) {
    case 'MissingAuthenticationToken':
      return { status: 403, code: 'MissingAuthenticationToken' };
    case 'IncompleteSignature':
      return { status: 400, code: 'IncompleteSignature' };
    case 'InvalidAccessKeyId':
    case 'InvalidClientTokenId':
    case 'InvalidToken':
      return { status: 403, code: 'InvalidClientTokenId' };
    case 'SignatureDoesNotMatch':
      return { status: 403, code: 'SignatureDoesNotMatch' };
    case 'RequestExpired':
      return { status: 400, code: 'RequestExpired' };
    case 'AccessDenied':
      return { status: 403, code: 'AccessDenied' };
  }
};

/** The service's answer when the request could not be authenticated (or, for a POST form, broke its policy). */
export const authFailure = (
  service: ErrorService,
  failure: AuthFailure | PolicyViolation,
  requestId: string = randomUUID(),
): ErrorResponse => {
  const { status, code } = wireError(service, failure.code);
  return errorFor(service, status, code, failure.message, requestId);
};
