import { randomUUID } from 'node:crypto';
import type { AuthorizationRequest, HttpResponse, IncomingRequest } from './request-types.ts';
import { xmlEscape } from './xml.ts';

/** The two STS operations the local stack serves. */
export type StsRequest =
  | {
      readonly action: 'AssumeRole';
      readonly roleArn: string;
      readonly sessionName: string;
      /** A session policy (JSON) that narrows the role's permissions for this session. */
      readonly policy?: string;
      readonly durationSeconds: number;
    }
  | { readonly action: 'GetCallerIdentity' }
  /** Anything else, or AssumeRole without what it needs: the gateway answers with an error. */
  | { readonly action: 'Invalid'; readonly message: string };

/** STS's default session length when DurationSeconds is not given: one hour. */
const DEFAULT_DURATION_SECONDS = 3600;

/**
 * Reads an STS query-protocol request: form-encoded `Action=AssumeRole&RoleArn=...&RoleSessionName=...`
 * in a POST body (what the SDKs send) or in the query string of a GET.
 */
export const parseStsRequest = (request: IncomingRequest, body: Buffer): StsRequest => {
  const form = new URLSearchParams(request.method === 'GET' ? request.query : body.toString('utf8'));
  const action = form.get('Action');
  if (action === 'GetCallerIdentity') return { action };
  if (action !== 'AssumeRole')
    return { action: 'Invalid', message: `Unsupported STS action: ${action ?? 'none'}` };
  const roleArn = form.get('RoleArn');
  const sessionName = form.get('RoleSessionName');
  if (!roleArn || !sessionName)
    return { action: 'Invalid', message: 'AssumeRole requires RoleArn and RoleSessionName' };
  const duration = form.get('DurationSeconds');
  const durationSeconds = duration === null ? DEFAULT_DURATION_SECONDS : Number(duration);
  if (!Number.isInteger(durationSeconds) || durationSeconds < 900 || durationSeconds > 43_200)
    return { action: 'Invalid', message: 'DurationSeconds must be a whole number between 900 and 43200' };
  const policy = form.get('Policy');
  return { action, roleArn, sessionName, ...(policy === null ? {} : { policy }), durationSeconds };
};

/**
 * What STS asks IAM: AssumeRole needs sts:AssumeRole on the role (the role's trust policy must allow it
 * too: the evaluator's part); GetCallerIdentity needs no permission at all.
 */
export const stsAuthorizationRequests = (request: StsRequest): AuthorizationRequest[] =>
  request.action === 'AssumeRole' ? [{ action: 'sts:AssumeRole', resource: request.roleArn }] : [];

export type StsResponse = HttpResponse;

const NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

/** STS writes times to the second: `2026-12-02T11:15:00Z`. */
const stsTime = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

const xmlResponse = (operation: string, result: string, requestId: string): StsResponse => ({
  status: 200,
  headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
  body:
    `<${operation}Response xmlns="${NAMESPACE}"><${operation}Result>${result}</${operation}Result>` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`,
});

export type AssumedRoleSession = {
  /** `arn:aws:sts::{account}:assumed-role/{role name}/{session name}` */
  readonly assumedRoleArn: string;
  /** `{role id}:{session name}` */
  readonly assumedRoleId: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
};

/** The AssumeRole answer, shaped as STS sends it (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html). */
export const assumeRoleResponse = (
  session: AssumedRoleSession,
  requestId: string = randomUUID(),
): StsResponse =>
  xmlResponse(
    'AssumeRole',
    `<AssumedRoleUser><Arn>${xmlEscape(session.assumedRoleArn)}</Arn>` +
      `<AssumedRoleId>${xmlEscape(session.assumedRoleId)}</AssumedRoleId></AssumedRoleUser>` +
      `<Credentials><AccessKeyId>${xmlEscape(session.accessKeyId)}</AccessKeyId>` +
      `<SecretAccessKey>${xmlEscape(session.secretAccessKey)}</SecretAccessKey>` +
      `<SessionToken>${xmlEscape(session.sessionToken)}</SessionToken>` +
      `<Expiration>${stsTime(session.expiration)}</Expiration></Credentials>`,
    requestId,
  );

export type CallerIdentity = { readonly arn: string; readonly userId: string; readonly account: string };

/** The GetCallerIdentity answer, shaped as STS sends it. */
export const getCallerIdentityResponse = (
  identity: CallerIdentity,
  requestId: string = randomUUID(),
): StsResponse =>
  xmlResponse(
    'GetCallerIdentity',
    `<Arn>${xmlEscape(identity.arn)}</Arn><UserId>${xmlEscape(identity.userId)}</UserId>` +
      `<Account>${xmlEscape(identity.account)}</Account>`,
    requestId,
  );
