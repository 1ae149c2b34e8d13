import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import type { OrgCode } from '../../schemas/common/organisations.ts';
import { PREFIXES } from '../../schemas/object-keys.ts';
import { PRESIGN_SECONDS } from './issue-upload.ts';
import type { SigningCredentials } from './post-policy.ts';

/** Seconds a signer session lasts: as long as the form it signs (900 s, also the minimum STS allows). */
export const SIGNER_SESSION_SECONDS = PRESIGN_SECONDS;

/** An IAM policy document. */
export type PolicyDocument = {
  readonly Version: '2012-10-17';
  readonly Statement: readonly {
    readonly Sid: string;
    readonly Effect: 'Allow';
    readonly Action: string | readonly string[];
    readonly Resource: string;
    readonly Condition?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  }[];
};

/**
 * The session policy of one organisation's signer session: s3:PutObject under `incoming/{org}/` of the
 * landing bucket only, and the key use S3 makes on that upload. A session may do only what both this and
 * the signer role's own policy allow, so the key is the landing key (the role's policy names it).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session
 */
export const signerSessionPolicy = (input: {
  readonly landingBucket: string;
  readonly org: OrgCode;
  readonly region: string;
  readonly partition?: string;
}): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'PutOwnUploads',
      Effect: 'Allow',
      Action: 's3:PutObject',
      Resource: `arn:${input.partition ?? 'aws'}:s3:::${input.landingBucket}/${PREFIXES.incoming}${input.org}/*`,
    },
    {
      Sid: 'EncryptUploads',
      Effect: 'Allow',
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: '*',
      Condition: { StringEquals: { 'kms:ViaService': `s3.${input.region}.amazonaws.com` } },
    },
  ],
});

/**
 * Credentials scoped to one organisation's prefix: a 15-minute session of the signer role, named after
 * the organisation (CloudTrail shows it), under `signerSessionPolicy`. A form signed with them admits an
 * upload to that prefix only, whatever its own policy says.
 */
export const assumeSignerSession = async (
  sts: STSClient,
  input: {
    readonly roleArn: string;
    readonly landingBucket: string;
    readonly org: OrgCode;
    readonly region: string;
  },
): Promise<SigningCredentials> => {
  const partition = /^arn:(aws[a-z-]*):/.exec(input.roleArn)?.[1] ?? 'aws';
  const { Credentials } = await sts.send(
    new AssumeRoleCommand({
      RoleArn: input.roleArn,
      RoleSessionName: input.org,
      DurationSeconds: SIGNER_SESSION_SECONDS,
      Policy: JSON.stringify(signerSessionPolicy({ ...input, partition })),
    }),
  );
  if (!Credentials?.AccessKeyId || !Credentials.SecretAccessKey || !Credentials.SessionToken)
    throw new Error(`AssumeRole of ${input.roleArn} returned no credentials`);
  return {
    accessKeyId: Credentials.AccessKeyId,
    secretAccessKey: Credentials.SecretAccessKey,
    sessionToken: Credentials.SessionToken,
  };
};
