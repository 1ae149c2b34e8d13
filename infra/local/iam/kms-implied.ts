import type { IamModel } from './iam-model.ts';
import type { AuthorizationRequest } from './request-types.ts';

/**
 * The KMS calls a service makes on the caller's behalf, which AWS authorises against the caller too
 * (the key policy, then the caller's IAM policies, with `kms:ViaService` naming the service):
 * - S3 with SSE-KMS: writing an object needs kms:GenerateDataKey, a multipart part or completion also
 *   kms:Decrypt, reading kms:Decrypt (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html);
 * - SQS with SSE-KMS: sending needs kms:GenerateDataKey, receiving kms:Decrypt
 *   (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html).
 * - Secrets Manager: reading a secret value needs kms:Decrypt, writing one kms:GenerateDataKey
 *   (https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html).
 * DynamoDB uses the grant it made when the table was created, so no caller check is made for it here.
 * An object written with an explicit `x-amz-server-side-encryption: AES256` needs no key at all: the
 * landing bucket's policy is what refuses that.
 */
export const impliedKmsRequests = (
  model: IamModel,
  request: AuthorizationRequest,
  options: { readonly multipart?: boolean } = {},
): AuthorizationRequest[] => {
  const { region } = model.target;
  const via = (service: string, keyArn: string, actions: readonly string[]): AuthorizationRequest[] =>
    actions.map((action) => ({
      action,
      resource: keyArn,
      // kms:CallerAccount is set by authorize() for every KMS request.
      context: { 'kms:ViaService': `${service}.${region}.amazonaws.com` },
    }));
  const s3 = /^arn:[^:]+:s3:::([^/]+)\/.+$/.exec(request.resource);
  if (s3) {
    const context = request.context ?? {};
    if (context['s3:x-amz-server-side-encryption'] === 'AES256') return [];
    const requested = context['s3:x-amz-server-side-encryption-aws-kms-key-id'];
    const key = typeof requested === 'string' ? requested : model.encryption.buckets.get(s3[1] as string);
    if (!key) return [];
    if (request.action === 's3:PutObject')
      return via(
        's3',
        key,
        options.multipart ? ['kms:GenerateDataKey', 'kms:Decrypt'] : ['kms:GenerateDataKey'],
      );
    if (request.action === 's3:GetObject') return via('s3', key, ['kms:Decrypt']);
    return [];
  }
  if (/^arn:[^:]+:secretsmanager:/.test(request.resource)) {
    const key = model.encryption.secrets.get(request.resource);
    if (!key) return [];
    if (request.action === 'secretsmanager:GetSecretValue')
      return via('secretsmanager', key, ['kms:Decrypt']);
    if (request.action === 'secretsmanager:PutSecretValue')
      return via('secretsmanager', key, ['kms:GenerateDataKey']);
    return [];
  }
  const sqs = /^arn:[^:]+:sqs:[^:]+:[^:]+:(.+)$/.exec(request.resource);
  if (sqs) {
    const key = model.encryption.queues.get(sqs[1] as string);
    if (!key) return [];
    if (request.action === 'sqs:SendMessage') return via('sqs', key, ['kms:GenerateDataKey']);
    if (request.action === 'sqs:ReceiveMessage') return via('sqs', key, ['kms:Decrypt']);
  }
  return [];
};
