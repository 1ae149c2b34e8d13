import type { AuthorizationRequest, IncomingRequest } from './request-types.ts';

/**
 * The Secrets Manager operations the local stack serves, read from the JSON 1.1 protocol:
 * `POST /`, `X-Amz-Target: secretsmanager.{Operation}`, a JSON body.
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html
 */
export type SecretsManagerRequest =
  | {
      readonly action: 'GetSecretValue';
      readonly secretId: string;
      readonly versionId?: string;
      readonly versionStage?: string;
    }
  | {
      readonly action: 'PutSecretValue';
      readonly secretId: string;
      readonly secretString: string;
      readonly clientRequestToken?: string;
    }
  /** Anything else, or a request without what it needs: answered with an error. */
  | { readonly action: 'Invalid'; readonly code: string; readonly message: string };

const TARGET_PREFIX = 'secretsmanager.';

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value : undefined;

export const parseSecretsManagerRequest = (request: IncomingRequest, body: Buffer): SecretsManagerRequest => {
  const target = request.headers['x-amz-target'] ?? '';
  const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
  let input: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8') || '{}');
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new Error('not an object');
    input = parsed as Record<string, unknown>;
  } catch {
    return {
      action: 'Invalid',
      code: 'SerializationException',
      message: 'The request body is not a JSON object',
    };
  }
  const secretId = text(input.SecretId);
  if ((operation === 'GetSecretValue' || operation === 'PutSecretValue') && !secretId)
    return { action: 'Invalid', code: 'ValidationException', message: 'SecretId is required' };
  if (operation === 'GetSecretValue') {
    const versionId = text(input.VersionId);
    const versionStage = text(input.VersionStage);
    return {
      action: operation,
      secretId: secretId as string,
      ...(versionId ? { versionId } : {}),
      ...(versionStage ? { versionStage } : {}),
    };
  }
  if (operation === 'PutSecretValue') {
    const secretString = text(input.SecretString);
    if (!secretString)
      return {
        action: 'Invalid',
        code: 'InvalidRequestException',
        message: 'The local Secrets Manager stores SecretString values only',
      };
    const clientRequestToken = text(input.ClientRequestToken);
    return {
      action: operation,
      secretId: secretId as string,
      secretString,
      ...(clientRequestToken ? { clientRequestToken } : {}),
    };
  }
  return {
    action: 'Invalid',
    code: 'UnknownOperationException',
    message: `The local Secrets Manager does not serve ${operation || 'this request'}`,
  };
};

/** What IAM is asked for an operation on the secret with ARN `arn`: the action of the same name. */
export const secretsManagerAuthorizationRequests = (
  request: SecretsManagerRequest,
  arn: string,
): AuthorizationRequest[] =>
  request.action === 'Invalid' ? [] : [{ action: `secretsmanager:${request.action}`, resource: arn }];
