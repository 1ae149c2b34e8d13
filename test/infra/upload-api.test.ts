import type { CfnElement } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PipelineStack } from '../../infra/stack.ts';
import { buildTestApp, type CfnResource, resourcesOf, synthTemplate } from './build.ts';

// The upload API signs forms with the form-signer role: who may assume it and what it may do.
let template: Template;
let stack: PipelineStack;

beforeAll(() => {
  const built = buildTestApp('dev', { bundle: false });
  stack = built.stack;
  template = synthTemplate(built);
});

const idOf = (construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
type Statement = { Sid?: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
/** Every statement of the policies attached to a role, by the role's logical id. */
const policyStatements = (roleId: string): Statement[] =>
  Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
    .filter((p: CfnResource) =>
      ((p.Properties?.Roles ?? []) as unknown[]).some(
        (r) => JSON.stringify(r) === JSON.stringify({ Ref: roleId }),
      ),
    )
    .flatMap(
      (p) => (p.Properties?.PolicyDocument as { Statement: Statement[] } | undefined)?.Statement ?? [],
    );

describe('the upload form signer', () => {
  it('is the role {prefix}-upload-form-signer, trusted by the upload API function’s role alone', () => {
    const fn = stack.uploadApi?.fn;
    if (!fn) throw new Error('the upload API was not built');
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'msht-dev-upload-form-signer',
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: 'sts:AssumeRole',
            Principal: { AWS: { 'Fn::GetAtt': [idOf(fn.role), 'Arn'] } },
          },
        ],
      },
    });
  });

  it('may put objects under incoming/ of the landing bucket and use the landing key through S3, nothing else', () => {
    const signer = idOf(stack.node.findChild('UploadApi').node.findChild('FormSigner'));
    const statements = policyStatements(signer).map(({ Action, Resource, Condition }) => ({
      Action,
      Resource,
      Condition,
    }));
    expect(statements).toEqual([
      {
        Action: 's3:PutObject',
        Resource: {
          'Fn::Join': ['', [{ 'Fn::GetAtt': [idOf(stack.landing.bucket), 'Arn'] }, '/incoming/*']],
        },
        Condition: undefined,
      },
      {
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: { 'Fn::GetAtt': [idOf(stack.landing.key as never), 'Arn'] },
        Condition: {
          StringEquals: {
            'kms:ViaService': { 'Fn::Join': ['', ['s3.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
          },
        },
      },
    ]);
  });

  it('is all the upload API function may assume, and the function itself puts no object', () => {
    const fn = stack.uploadApi?.fn;
    if (!fn) throw new Error('the upload API was not built');
    const signer = idOf(stack.node.findChild('UploadApi').node.findChild('FormSigner'));
    const statements = policyStatements(idOf(fn.role));
    const actions = statements.flatMap((s) => [s.Action].flat());
    expect(actions).not.toContain('s3:PutObject');
    expect(actions.filter((a) => !/^(logs|xray):/.test(a))).toEqual(['sts:AssumeRole']);
    expect(statements).toContainEqual(
      expect.objectContaining({ Action: 'sts:AssumeRole', Resource: { 'Fn::GetAtt': [signer, 'Arn'] } }),
    );
    // The function learns the role's ARN from its environment, built from the same name.
    expect(
      stack.resolve((fn.fn.node.defaultChild as unknown as { environment: unknown }).environment),
    ).toMatchObject({
      variables: {
        MSHT_UPLOAD_FORM_SIGNER_ROLE_ARN: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':iam::',
              { Ref: 'AWS::AccountId' },
              ':role/msht-dev-upload-form-signer',
            ],
          ],
        },
      },
    });
  });
});
