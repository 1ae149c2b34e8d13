/**
 * The IAM of a synthesized template as data: its roles with their identity policies and trust policies,
 * the resource-based policies by resource ARN (bucket, queue, topic and key policies, Lambda
 * permissions), which KMS key encrypts each bucket, queue and table, and which role each function runs
 * as. Every intrinsic is resolved for one deploy target. Only the resource types IAM decisions need are
 * read (strictly: an unresolvable name in them throws); everything else in the template is ignored.
 */
import {
  asArray,
  documentStatements,
  type PrincipalElement,
  roleStatements,
  type Statement,
} from './policy-evaluator.ts';
import {
  type DeployTarget,
  physicalName,
  resolveValue,
  type TemplateJson,
  TemplateResolutionError,
} from './template.ts';

export type RoleModel = {
  readonly name: string;
  readonly arn: string;
  readonly statements: readonly Statement[];
  readonly trust: readonly Statement[];
};

export type IamModel = {
  readonly target: DeployTarget;
  /** By role name (RoleName, or the logical id when the template gives none). */
  readonly roles: ReadonlyMap<string, RoleModel>;
  /** By resource ARN: bucket (arn:aws:s3:::name), queue, KMS key, SNS topic, Lambda function. */
  readonly resourcePolicies: ReadonlyMap<string, readonly Statement[]>;
  /** Resource name -> ARN of the KMS key it is encrypted with (only customer-managed keys). */
  readonly encryption: {
    readonly buckets: ReadonlyMap<string, string>;
    readonly queues: ReadonlyMap<string, string>;
    readonly tables: ReadonlyMap<string, string>;
    /** By secret ARN. */
    readonly secrets: ReadonlyMap<string, string>;
  };
  /** Lambda FunctionName (or logical id) -> name of the role it runs as. */
  readonly functionRoles: ReadonlyMap<string, string>;
  /** What the model could not represent, e.g. managed policies whose contents it does not know. */
  readonly warnings: readonly string[];
};

/**
 * The AWS-managed policies this stack attaches, as the statements that matter here. CDK's own custom
 * resource providers attach AWSLambdaBasicExecutionRole; its real document is exactly these actions.
 */
const AWS_MANAGED_POLICIES: Readonly<Record<string, readonly Statement[]>> = {
  'service-role/AWSLambdaBasicExecutionRole': [
    {
      Effect: 'Allow',
      Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: '*',
    },
  ],
};

type Resource = TemplateJson['Resources'][string];

/** What the parts of the model are read with: the template, the target, and a resolver for both. */
type Reader = {
  readonly template: TemplateJson;
  readonly target: DeployTarget;
  readonly str: (value: unknown) => string;
  readonly ofType: (type: string) => [string, Record<string, unknown>][];
};

export const buildIamModel = (template: TemplateJson, target: DeployTarget): IamModel => {
  const reader: Reader = {
    template,
    target,
    str: (value) => String(resolveValue(template, value, target)),
    ofType: (type) =>
      Object.entries(template.Resources)
        .filter(([, r]: [string, Resource]) => r.Type === type)
        .map(([id, r]) => [id, r.Properties ?? {}]),
  };
  const warnings: string[] = [];
  const roles = rolesOf(reader, warnings);
  return {
    target,
    roles,
    resourcePolicies: resourcePoliciesOf(reader),
    encryption: encryptionOf(reader),
    functionRoles: functionRolesOf(reader, roles),
    warnings,
  };
};

/** Every role with its identity policies (inline, attached, managed) and its trust policy. */
const rolesOf = ({ template, target, str, ofType }: Reader, warnings: string[]): Map<string, RoleModel> => {
  const managedPolicies = new Map(
    ofType('AWS::IAM::ManagedPolicy').map(([id, p]) => [
      str({ Ref: id }),
      documentStatements(template, p.PolicyDocument, target),
    ]),
  );
  const managedStatements = (roleName: string, arn: string): readonly Statement[] => {
    const inTemplate = managedPolicies.get(arn);
    if (inTemplate) return inTemplate;
    const awsManaged = /^arn:[^:]+:iam::aws:policy\/(.+)$/.exec(arn)?.[1];
    const known = awsManaged === undefined ? undefined : AWS_MANAGED_POLICIES[awsManaged];
    if (known) return known;
    warnings.push(`role ${roleName}: managed policy ${arn} is not modelled; its permissions are ignored`);
    return [];
  };
  const roles = new Map<string, RoleModel>();
  for (const [id, p] of ofType('AWS::IAM::Role')) {
    const name = str({ Ref: id });
    // A template ManagedPolicy listing the role in its own `Roles` is in roleStatements already.
    const managed = asArray(p.ManagedPolicyArns as unknown[] | undefined)
      .map(str)
      .filter((arn) => !attachedByRoles(template, target, arn, name));
    roles.set(name, {
      name,
      arn: str({ 'Fn::GetAtt': [id, 'Arn'] }),
      statements: [
        ...roleStatements(template, id, target),
        ...managed.flatMap((arn) => managedStatements(name, arn)),
      ],
      trust: documentStatements(template, p.AssumeRolePolicyDocument, target),
    });
  }
  return roles;
};

/** Bucket, queue, topic and key policies and Lambda permissions, by the ARN of the resource they govern. */
const resourcePoliciesOf = ({ template, target, str, ofType }: Reader): Map<string, Statement[]> => {
  const policies = new Map<string, Statement[]>();
  const add = (arn: string, document: unknown) =>
    policies.set(arn, [...(policies.get(arn) ?? []), ...documentStatements(template, document, target)]);
  for (const [, p] of ofType('AWS::S3::BucketPolicy'))
    add(`arn:${target.partition}:s3:::${str(p.Bucket)}`, p.PolicyDocument);
  for (const [, p] of ofType('AWS::SQS::QueuePolicy'))
    for (const url of asArray(p.Queues as unknown[]).map(str))
      add(queueArnOfUrl(url, target.partition), p.PolicyDocument);
  for (const [, p] of ofType('AWS::SNS::TopicPolicy'))
    for (const arn of asArray(p.Topics as unknown[]).map(str)) add(arn, p.PolicyDocument);
  for (const [id, p] of ofType('AWS::KMS::Key')) add(str({ 'Fn::GetAtt': [id, 'Arn'] }), p.KeyPolicy);
  for (const [id, p] of ofType('AWS::Lambda::Permission')) {
    const statement = permissionStatement(
      id,
      resolveValue(template, p, target) as Record<string, unknown>,
      target,
    );
    const arn = String(statement.Resource);
    policies.set(arn, [...(policies.get(arn) ?? []), statement]);
  }
  return policies;
};

/** Which KMS key (or alias) encrypts each bucket (default SSE-KMS), queue and table (by name) and secret (by ARN). */
const encryptionOf = ({ template, target, str, ofType }: Reader): IamModel['encryption'] => {
  const { partition, region, account } = target;
  // Encryption settings accept a key id, key ARN, alias name or alias ARN: all become ARNs.
  const keyArn = (key: unknown): string => {
    const value = str(key);
    if (value.startsWith('arn:')) return value;
    return `arn:${partition}:kms:${region}:${account}:${value.startsWith('alias/') ? value : `key/${value}`}`;
  };
  const byName = (type: string, keyOf: (p: Record<string, unknown>) => unknown) =>
    new Map(
      ofType(type).flatMap(([id, p]) => {
        const key = keyOf(p);
        return key === undefined ? [] : [[physicalName(template, id, target), keyArn(key)] as const];
      }),
    );
  type Rule = { readonly ServerSideEncryptionByDefault?: { readonly KMSMasterKeyID?: unknown } };
  type BucketEncryption = { readonly ServerSideEncryptionConfiguration?: readonly Rule[] };
  return {
    buckets: byName('AWS::S3::Bucket', (p) =>
      asArray((p.BucketEncryption as BucketEncryption | undefined)?.ServerSideEncryptionConfiguration)
        .map((rule) => rule.ServerSideEncryptionByDefault?.KMSMasterKeyID)
        .find((key) => key !== undefined),
    ),
    queues: byName('AWS::SQS::Queue', (p) => p.KmsMasterKeyId),
    tables: byName(
      'AWS::DynamoDB::Table',
      (p) => (p.SSESpecification as { KMSMasterKeyId?: unknown } | undefined)?.KMSMasterKeyId,
    ),
    secrets: new Map(
      ofType('AWS::SecretsManager::Secret').flatMap(([id, p]) =>
        p.KmsKeyId === undefined ? [] : [[str({ Ref: id }), keyArn(p.KmsKeyId)] as const],
      ),
    ),
  };
};

/** The role each function runs as, which must be one of the template's. */
const functionRolesOf = (
  { template, target, str, ofType }: Reader,
  roles: ReadonlyMap<string, RoleModel>,
): Map<string, string> => {
  const roleByArn = new Map([...roles.values()].map((role) => [role.arn, role.name]));
  return new Map(
    ofType('AWS::Lambda::Function').map(([id, p]) => {
      const roleArn = str(p.Role);
      const roleName = roleByArn.get(roleArn);
      if (!roleName)
        throw new TemplateResolutionError(
          `Function ${id} runs as ${roleArn}, which is not a role of the template`,
        );
      return [physicalName(template, id, target), roleName];
    }),
  );
};

/** Whether a template ManagedPolicy with this ARN already lists the role in its own `Roles`. */
const attachedByRoles = (
  template: TemplateJson,
  target: DeployTarget,
  arn: string,
  roleName: string,
): boolean =>
  Object.entries(template.Resources).some(
    ([id, r]) =>
      r.Type === 'AWS::IAM::ManagedPolicy' &&
      String(resolveValue(template, { Ref: id }, target)) === arn &&
      asArray(r.Properties?.Roles as unknown[] | undefined).some(
        (ref) => String(resolveValue(template, ref, target)) === roleName,
      ),
  );

/** `https://sqs.REGION.amazonaws.com/ACCOUNT/NAME` -> `arn:PARTITION:sqs:REGION:ACCOUNT:NAME`. */
const queueArnOfUrl = (url: string, partition: string): string => {
  const match = /^https:\/\/sqs\.([^.]+)\.[^/]+\/(\d{12})\/([^/]+)$/.exec(url);
  if (!match) throw new TemplateResolutionError(`${url} is not an SQS queue URL`);
  return `arn:${partition}:sqs:${match[1]}:${match[2]}:${match[3]}`;
};

/**
 * An AWS::Lambda::Permission as the statement Lambda adds to the function's resource policy: a service
 * principal (`events.amazonaws.com`), an account or an ARN, with SourceArn / SourceAccount /
 * FunctionUrlAuthType as conditions.
 * https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html
 */
const permissionStatement = (id: string, p: Record<string, unknown>, target: DeployTarget): Statement => {
  const { partition, region, account } = target;
  const fn = String(p.FunctionName);
  const functionArn = fn.startsWith('arn:')
    ? fn.replace(/:function:([^:]+):.*$/, ':function:$1')
    : `arn:${partition}:lambda:${region}:${account}:function:${fn}`;
  const principal = String(p.Principal);
  const element: PrincipalElement =
    principal === '*'
      ? '*'
      : principal.endsWith('.amazonaws.com')
        ? { Service: principal }
        : { AWS: principal };
  const condition: Record<string, Record<string, string>> = {};
  const add = (operator: string, key: string, value: unknown) => {
    if (value !== undefined) condition[operator] = { ...condition[operator], [key]: String(value) };
  };
  add('ArnLike', 'aws:SourceArn', p.SourceArn);
  add('StringEquals', 'aws:SourceAccount', p.SourceAccount);
  add('StringEquals', 'lambda:FunctionUrlAuthType', p.FunctionUrlAuthType);
  add('StringEquals', 'aws:PrincipalOrgID', p.PrincipalOrgID);
  return {
    Sid: id,
    Effect: 'Allow',
    Principal: element,
    Action: String(p.Action),
    Resource: functionArn,
    ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
  };
};
