import { Aws } from 'aws-cdk-lib';
import { AccountRootPrincipal, PolicyDocument, PolicyStatement } from 'aws-cdk-lib/aws-iam';

/** The AWS service a customer-managed key serves: the only one through which the account may use it. */
export type KeyServedService = 's3' | 'sqs' | 'dynamodb' | 'logs' | 'sns' | 'secretsmanager';

/**
 * What the account's administrators may do to a key: manage it, never use it (no Encrypt, Decrypt,
 * GenerateDataKey*, ReEncrypt*, CreateGrant). The list is explicit: a wildcard such as kms:Create*
 * would include kms:CreateGrant, which delegates use.
 */
export const KEY_ADMIN_ACTIONS = [
  'kms:CancelKeyDeletion',
  'kms:CreateAlias',
  'kms:DeleteAlias',
  'kms:DescribeKey',
  'kms:DisableKey',
  'kms:DisableKeyRotation',
  'kms:EnableKey',
  'kms:EnableKeyRotation',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:ListGrants',
  'kms:ListKeyPolicies',
  'kms:ListKeyRotations',
  'kms:ListResourceTags',
  'kms:PutKeyPolicy',
  'kms:RevokeGrant',
  'kms:RotateKeyOnDemand',
  'kms:ScheduleKeyDeletion',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:UpdateAlias',
  'kms:UpdateKeyDescription',
] as const;

const SERVICE_NAMES: Readonly<Record<KeyServedService, string>> = {
  s3: 'S3',
  sqs: 'SQS',
  dynamodb: 'DynamoDB',
  logs: 'CloudWatchLogs',
  sns: 'SNS',
  secretsmanager: 'SecretsManager',
};

const USE_ACTIONS = [
  'kms:Decrypt',
  'kms:DescribeKey',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
] as const;

/**
 * The policy a new customer-managed key starts with, instead of CDK's default (kms:* for the account
 * root): the account root may administer the key, and the account's IAM principals may use it only
 * through `service` in this region (`kms:ViaService`, `kms:CallerAccount`), as far as their own IAM
 * policies allow. DynamoDB also needs CreateGrant (it keeps grants on the table's key). Statements for
 * service principals are added by the construct that needs them.
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/encryption.usagenotes.html
 */
export const keyPolicy = (service: KeyServedService): PolicyDocument =>
  new PolicyDocument({
    statements: [
      new PolicyStatement({
        sid: 'AllowKeyAdministration',
        principals: [new AccountRootPrincipal()],
        actions: [...KEY_ADMIN_ACTIONS],
        resources: ['*'],
      }),
      new PolicyStatement({
        sid: `AllowUseThrough${SERVICE_NAMES[service]}`,
        principals: [new AccountRootPrincipal()],
        actions: [...USE_ACTIONS, ...(service === 'dynamodb' ? ['kms:CreateGrant'] : [])],
        resources: ['*'],
        conditions: {
          StringEquals: {
            'kms:CallerAccount': Aws.ACCOUNT_ID,
            'kms:ViaService': `${service}.${Aws.REGION}.amazonaws.com`,
          },
        },
      }),
    ],
  });
