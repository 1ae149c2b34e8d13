import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { FunctionUrl } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { PREFIXES } from '../../schemas/object-keys.ts';
import { keyViaService } from '../constructs/iam-statements.ts';
import type { PipelineFunction } from '../constructs/pipeline-function.ts';
import type { BuildFunction } from './functions.ts';
import type { Storage } from './storage.ts';

/** Properties of the `UploadApi` stage. */
export type UploadApiProps = { readonly storage: Storage; readonly build: BuildFunction };

/**
 * The optional upload API (`settings.uploadApi.enabled`): a Function URL with IAM auth that gives an
 * organisation's upload role a presigned POST form for its own prefix.
 */
export class UploadApi extends Construct {
  /** The function and its Function URL, when enabled and not left out. */
  public readonly api: { readonly fn: PipelineFunction; readonly url: FunctionUrl } | undefined;

  constructor(scope: Construct, id: string, props: UploadApiProps) {
    super(scope, id);
    const { landing } = props.storage;
    const fn = props.build(this, 'uploadApi');
    if (!fn) {
      this.api = undefined;
      return;
    }
    // The form is signed with this role: S3 authorises the POST as this role, limited by the policy.
    fn.allow(
      new PolicyStatement({
        sid: 'SignUploadForms',
        actions: ['s3:PutObject'],
        resources: [landing.arnForPrefix(PREFIXES.incoming)],
      }),
      {
        wildcardReason:
          'Forms are signed for any organisation’s incoming/{org}/ prefix; each form’s policy admits only the caller’s own.',
      },
    );
    fn.allow(keyViaService('EncryptUploads', landing.key, 's3', 'encrypt-decrypt'));
    // IAM auth: only principals allowed lambda:InvokeFunctionUrl (the upload roles) can call it.
    this.api = { fn, url: fn.serveUrlWithIamAuth() };
  }
}
