import { PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import type { FunctionUrl } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { PREFIXES } from '../../schemas/object-keys.ts';
import { uploadFormSignerRoleName } from '../../schemas/role-names.ts';
import { keyViaService } from '../constructs/iam-statements.ts';
import type { PipelineFunction } from '../constructs/pipeline-function.ts';
import { acknowledge, wildcardResourceFinding } from '../policy-checks.ts';
import type { BuildFunction } from './functions.ts';
import type { Storage } from './storage.ts';

/** Properties of the `UploadApi` stage. */
export type UploadApiProps = {
  readonly storage: Storage;
  readonly build: BuildFunction;
  /** Physical names start with it; the signer role is `{prefix}-upload-form-signer`. */
  readonly prefix: string;
};

/**
 * The optional upload API (`settings.uploadApi.enabled`): a Function URL with IAM auth that gives an
 * organisation's upload role a presigned POST form for its own prefix. Forms are signed with sessions of
 * the signer role, which only the function's role may assume, each scoped by a session policy to one
 * organisation's `incoming/{org}/` (functions/upload-api/signer-session.ts).
 */
export class UploadApi extends Construct {
  /** The function and its Function URL, when enabled and not left out. */
  public readonly api: { readonly fn: PipelineFunction; readonly url: FunctionUrl } | undefined;
  /** The role forms are signed with, when the API is built. */
  public readonly signer: Role | undefined;

  constructor(scope: Construct, id: string, props: UploadApiProps) {
    super(scope, id);
    const { landing } = props.storage;
    const fn = props.build(this, 'uploadApi');
    if (!fn) {
      this.api = undefined;
      this.signer = undefined;
      return;
    }
    // S3 authorises a POST as the credentials that signed it, limited by the form's policy.
    const signer = new Role(this, 'FormSigner', {
      roleName: uploadFormSignerRoleName(props),
      description: `Signs the upload API's forms; each session is scoped to one organisation's ${PREFIXES.incoming}{org}/`,
      assumedBy: fn.role,
    });
    const incoming = landing.arnForPrefix(PREFIXES.incoming);
    signer.addToPrincipalPolicy(
      new PolicyStatement({ sid: 'PutUploads', actions: ['s3:PutObject'], resources: [incoming] }),
    );
    signer.addToPrincipalPolicy(keyViaService('EncryptUploads', landing.key, 's3', 'encrypt-decrypt'));
    acknowledge(
      signer,
      wildcardResourceFinding(this, incoming),
      'The signer may write any organisation’s incoming/{org}/ prefix; each session’s policy narrows it to the caller’s own.',
    );
    fn.allow(
      new PolicyStatement({
        sid: 'AssumeFormSigner',
        actions: ['sts:AssumeRole'],
        resources: [signer.roleArn],
      }),
    );
    this.signer = signer;
    // IAM auth: only principals allowed lambda:InvokeFunctionUrl and lambda:InvokeFunction through the
    // URL (the upload roles) can call it.
    this.api = { fn, url: fn.serveUrlWithIamAuth() };
  }
}
