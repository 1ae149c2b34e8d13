import type { RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { CfnSecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { PseudonymSettings } from '../../schemas/settings/pseudonym-settings.ts';
import { acknowledge } from '../policy-checks.ts';
import { keyViaService } from './iam-statements.ts';
import { keyPolicy } from './key-policy.ts';
import type { PipelineFunction } from './pipeline-function.ts';

/** Properties of `PseudonymKeySecret`. */
export type PseudonymKeySecretProps = {
  readonly settings: PseudonymSettings;
  /** What happens to the secret and its key when the stack is deleted. */
  readonly removalPolicy: RemovalPolicy;
};

/**
 * The pseudonym key (schemas/common/pseudonym.ts) in Secrets Manager: a generated value
 * `{"version": N, "key": "<64 hex>"}` (256 bits: 64 characters from 0-9a-f), encrypted with a
 * customer-managed key of its own that the account may use only through Secrets Manager. Only the
 * functions given `grantRead` may read it. The secret is the L1 resource (this construct's default
 * child): the L2 `Secret` would add its own statement to the key policy (encrypt, decrypt and
 * CreateGrant for the account through Secrets Manager, without `kms:CallerAccount`), beside the
 * policy `keyPolicy` already gives every key.
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/create_secret.html
 */
export class PseudonymKeySecret extends Construct {
  /** The secret's ARN (its `Ref`), with the suffix Secrets Manager adds to the name. */
  public readonly secretArn: string;
  public readonly key: Key;

  constructor(scope: Construct, id: string, props: PseudonymKeySecretProps) {
    super(scope, id);
    const { settings, removalPolicy } = props;
    this.key = new Key(this, 'Key', {
      description: `Encrypts the pseudonym key secret ${settings.secretName}`,
      enableKeyRotation: true,
      policy: keyPolicy('secretsmanager'),
      removalPolicy,
    });
    const secret = new CfnSecret(this, 'Resource', {
      name: settings.secretName,
      description: 'HMAC-SHA256 key of every pseudonymous reference and natural key (docs/feed.md)',
      kmsKeyId: this.key.keyArn,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ version: settings.keyVersion }),
        generateStringKey: 'key',
        passwordLength: 64,
        // Lower-case hex only: 64 characters of 16 are 256 bits.
        excludeUppercase: true,
        excludePunctuation: true,
        excludeCharacters: 'ghijklmnopqrstuvwxyz',
        includeSpace: false,
        requireEachIncludedType: false,
      },
    });
    secret.applyRemovalPolicy(removalPolicy);
    this.secretArn = secret.ref;
    acknowledge(
      this,
      'AwsSolutions-SMG4',
      'The pseudonym key is rotated by the documented re-key procedure (docs/deploy.md, "Rotating the pseudonym key"): a new key changes every reference and natural key, so it cannot be rotated on a schedule by a Lambda rotation function.',
    );
  }

  /**
   * Lets `fn` read the key: GetSecretValue on this secret and kms:Decrypt of its key through Secrets
   * Manager only. Explicit statements, not `Secret.grantRead` (which also grants DescribeSecret).
   */
  public grantRead(fn: PipelineFunction): void {
    fn.allow(
      new PolicyStatement({
        sid: 'ReadPseudonymKey',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [this.secretArn],
      }),
    );
    fn.allow(keyViaService('DecryptPseudonymKey', this.key, 'secretsmanager', 'decrypt'));
  }
}
