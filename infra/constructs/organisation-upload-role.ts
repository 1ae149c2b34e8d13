import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { PREFIXES } from '../../schemas/object-keys.ts';
import type { OrganisationSettings } from '../config.ts';
import { AccessRole } from './access-role.ts';
import { keyViaService, listUnder } from './iam-statements.ts';
import type { SecureBucket } from './secure-bucket.ts';

/** Properties of an `OrganisationUploadRole`. */
export type OrganisationUploadRoleProps = {
  /** The organisation and who may act for it. */
  readonly organisation: OrganisationSettings;
  /** Physical role name. */
  readonly roleName: string;
  /** The landing bucket (incoming/). */
  readonly landing: SecureBucket;
  /** The data bucket (reports/). */
  readonly data: SecureBucket;
  /**
   * The upload API function, when deployed: the role may call its Function URL (IAM auth), which needs
   * lambda:InvokeFunctionUrl and lambda:InvokeFunction through the URL, and nothing else of it.
   */
  readonly uploadApiFunctionArn?: string;
};

/**
 * The role one organisation uploads with: it can put objects under `incoming/{org}/` of the landing
 * bucket and read and list its own rejection reports under `reports/{org}/` of the data bucket, using
 * the buckets' keys only through S3. Nothing else: no other organisation's prefixes, no curated records,
 * no aggregates, no reading uploads back, no deletes, no Object Lock changes.
 */
export class OrganisationUploadRole extends Construct {
  /** The role. */
  public readonly access: AccessRole;
  /** `incoming/{org}/`: where the organisation uploads. */
  public readonly incomingPrefix: string;
  /** `reports/{org}/`: where its rejection reports are. */
  public readonly reportsPrefix: string;

  constructor(scope: Construct, id: string, props: OrganisationUploadRoleProps) {
    super(scope, id);
    const { code } = props.organisation;
    const { landing, data } = props;
    this.incomingPrefix = `${PREFIXES.incoming}${code}/`;
    this.reportsPrefix = `${PREFIXES.reports}${code}/`;
    this.access = new AccessRole(this, 'Access', {
      roleName: props.roleName,
      description: `Uploads extracts of ${code} under ${this.incomingPrefix} and reads its rejection reports`,
      principals: props.organisation.principals,
      grants: [
        {
          statement: new PolicyStatement({
            sid: 'PutOwnUploads',
            actions: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
            resources: [landing.arnForPrefix(this.incomingPrefix)],
          }),
          wildcardReason: `${code} uploads files of any name under its own prefix ${this.incomingPrefix} only.`,
        },
        { statement: listUnder('ListOwnUploads', landing.bucket.bucketArn, [this.incomingPrefix]) },
        {
          statement: new PolicyStatement({
            sid: 'ReadOwnReports',
            actions: ['s3:GetObject'],
            resources: [data.arnForPrefix(this.reportsPrefix)],
          }),
          wildcardReason: `${code} reads the rejection reports of its own uploads, under its own prefix ${this.reportsPrefix} only.`,
        },
        { statement: listUnder('ListOwnReports', data.bucket.bucketArn, [this.reportsPrefix]) },
        { statement: keyViaService('EncryptUploads', landing.key, 's3', 'encrypt-decrypt') },
        { statement: keyViaService('DecryptReports', data.key, 's3', 'decrypt') },
        ...(props.uploadApiFunctionArn
          ? [
              {
                statement: new PolicyStatement({
                  sid: 'AskForUploadForms',
                  actions: ['lambda:InvokeFunctionUrl'],
                  resources: [props.uploadApiFunctionArn],
                  conditions: { StringEquals: { 'lambda:FunctionUrlAuthType': 'AWS_IAM' } },
                }),
              },
              // Since October 2025 a Function URL call also needs lambda:InvokeFunction; the condition
              // admits it only for calls through the URL, never a direct Invoke (as grantInvokeUrl does).
              // https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html
              {
                statement: new PolicyStatement({
                  sid: 'AskForUploadFormsThroughTheUrl',
                  actions: ['lambda:InvokeFunction'],
                  resources: [props.uploadApiFunctionArn],
                  conditions: { Bool: { 'lambda:InvokedViaFunctionUrl': 'true' } },
                }),
              },
            ]
          : []),
      ],
    });
  }
}
