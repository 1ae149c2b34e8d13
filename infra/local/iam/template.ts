/**
 * Resolving the intrinsics of a synthesized CloudFormation template (Ref, Fn::GetAtt, Fn::Join, Fn::Sub,
 * pseudo parameters) into the concrete names and ARNs they would have in one account and region.
 * A resource the template gives no physical name is named by its logical id (CloudFormation would
 * generate `stack-LogicalId-RANDOM`); a KMS key's id is its logical id (AWS would generate a UUID); a
 * secret's ARN ends in a suffix derived from its name (`secretArn`; AWS adds six random characters).
 */
import { createHash } from 'node:crypto';

/** A template as `Template.toJSON()` returns it. */
export type TemplateJson = {
  readonly Resources: Record<
    string,
    { readonly Type: string; readonly Properties?: Record<string, unknown> }
  >;
};

/** Where the template is imagined deployed. */
export type DeployTarget = { readonly partition: string; readonly region: string; readonly account: string };

export const TEST_TARGET: DeployTarget = { partition: 'aws', region: 'eu-west-2', account: '111122223333' };

/** Something in the template that cannot be resolved to a concrete value. */
export class TemplateResolutionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateResolutionError';
  }
}

/** Resolves CloudFormation intrinsics to concrete strings (or arrays), throwing on anything unknown. */
export const resolveValue = (
  template: TemplateJson,
  value: unknown,
  target: DeployTarget = TEST_TARGET,
): unknown => {
  const resolve = (v: unknown): unknown => resolveValue(template, v, target);
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map(resolve);
  if (value === null || typeof value !== 'object')
    throw new TemplateResolutionError(`Cannot resolve ${JSON.stringify(value)}`);
  const object = value as Record<string, unknown>;
  if ('Ref' in object) return resolveRef(template, String(object.Ref), target);
  if ('Fn::GetAtt' in object) {
    const getAtt = object['Fn::GetAtt'];
    const [id, attribute] = typeof getAtt === 'string' ? getAtt.split('.') : (getAtt as [string, string]);
    return resolveGetAtt(template, String(id), String(attribute), target);
  }
  if ('Fn::Join' in object) {
    const [separator, parts] = object['Fn::Join'] as [string, unknown];
    return (resolve(parts) as unknown[]).map(String).join(separator);
  }
  if ('Fn::Sub' in object) return resolveSub(template, object['Fn::Sub'], target);
  const intrinsic = Object.keys(object).find((key) => key.startsWith('Fn::'));
  if (intrinsic) throw new TemplateResolutionError(`Cannot resolve ${intrinsic}`);
  return Object.fromEntries(Object.entries(object).map(([key, v]) => [key, resolve(v)]));
};

/** Fn::Sub, string or [string, variables] form: `${Name}`, `${Id.Attribute}`, `${!Literal}`. */
const resolveSub = (template: TemplateJson, sub: unknown, target: DeployTarget): string => {
  const [text, variables]: [unknown, Record<string, unknown>] = Array.isArray(sub)
    ? (sub as [string, Record<string, unknown>])
    : [sub, {}];
  if (typeof text !== 'string')
    throw new TemplateResolutionError(`Cannot resolve Fn::Sub ${JSON.stringify(sub)}`);
  return text.replace(/\$\{([^}]*)\}/g, (_, name: string) => {
    if (name.startsWith('!')) return `\${${name.slice(1)}}`;
    if (name in variables) return String(resolveValue(template, variables[name], target));
    const [id, attribute] = name.split('.');
    return attribute === undefined
      ? resolveRef(template, name, target)
      : resolveGetAtt(template, id as string, attribute, target);
  });
};

const resourceOf = (template: TemplateJson, id: string) => {
  const resource = template.Resources[id];
  if (!resource) throw new TemplateResolutionError(`No resource ${id} in the template`);
  return resource;
};

const NAME_PROPERTY: Readonly<Record<string, string>> = {
  'AWS::S3::Bucket': 'BucketName',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::IAM::Role': 'RoleName',
  'AWS::IAM::ManagedPolicy': 'ManagedPolicyName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::Events::Rule': 'Name',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::SecretsManager::Secret': 'Name',
};

/**
 * The ARN of a secret: `arn:{partition}:secretsmanager:{region}:{account}:secret:{name}-{6 characters}`.
 * AWS picks the six characters at random when the secret is created; here they come from the name, so
 * the template's policies and the local Secrets Manager agree on the ARN.
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_iam-permissions.html#iam-resources
 */
export const secretArn = (target: DeployTarget, name: string): string =>
  `arn:${target.partition}:secretsmanager:${target.region}:${target.account}:secret:${name}-${createHash('sha256').update(name).digest('base64url').replace(/[-_]/g, 'x').slice(0, 6)}`;

/** The physical name of a resource: its name property, or its logical id when the template gives none. */
export const physicalName = (template: TemplateJson, id: string, target: DeployTarget): string => {
  const { Type, Properties } = resourceOf(template, id);
  const property = NAME_PROPERTY[Type];
  const value = property === undefined ? undefined : Properties?.[property];
  return value === undefined ? id : String(resolveValue(template, value, target));
};

const resolveRef = (template: TemplateJson, id: string, target: DeployTarget): string => {
  const { partition, region, account } = target;
  const pseudo: Record<string, string> = {
    'AWS::Partition': partition,
    'AWS::Region': region,
    'AWS::AccountId': account,
    'AWS::URLSuffix': 'amazonaws.com',
  };
  if (pseudo[id]) return pseudo[id];
  const { Type } = resourceOf(template, id);
  const name = () => physicalName(template, id, target);
  switch (Type) {
    case 'AWS::SQS::Queue':
      return `https://sqs.${region}.amazonaws.com/${account}/${name()}`;
    case 'AWS::SNS::Topic':
    case 'AWS::IAM::ManagedPolicy':
    case 'AWS::SecretsManager::Secret':
      return arnOf(template, id, target);
    case 'AWS::S3::Bucket':
    case 'AWS::DynamoDB::Table':
    case 'AWS::Lambda::Function':
    case 'AWS::IAM::Role':
    case 'AWS::KMS::Key':
    case 'AWS::Events::Rule':
    case 'AWS::Logs::LogGroup':
      return name();
    default:
      throw new TemplateResolutionError(`Cannot resolve Ref of ${Type} ${id}`);
  }
};

const resolveGetAtt = (
  template: TemplateJson,
  id: string,
  attribute: string,
  target: DeployTarget,
): string => {
  const { Type } = resourceOf(template, id);
  const name = physicalName(template, id, target);
  // The attributes policies and names are built from; anything else is refused, not guessed.
  const attributes: Readonly<Record<string, Readonly<Record<string, () => string>>>> = {
    'AWS::SQS::Queue': { QueueName: () => name, QueueUrl: () => resolveRef(template, id, target) },
    'AWS::SNS::Topic': { TopicArn: () => arnOf(template, id, target), TopicName: () => name },
    'AWS::KMS::Key': { KeyId: () => name },
    'AWS::IAM::Role': { RoleName: () => name },
  };
  if (attribute === 'Arn') return arnOf(template, id, target);
  const resolve = attributes[Type]?.[attribute];
  if (!resolve) throw new TemplateResolutionError(`Cannot resolve Fn::GetAtt ${id}.${attribute} of ${Type}`);
  return resolve();
};

/** The ARN of a resource, from its physical name. */
const arnOf = (template: TemplateJson, id: string, target: DeployTarget): string => {
  const { partition, region, account } = target;
  const { Type, Properties } = resourceOf(template, id);
  const name = physicalName(template, id, target);
  const path = () => iamPath(template, Properties, target);
  switch (Type) {
    case 'AWS::S3::Bucket':
      return `arn:${partition}:s3:::${name}`;
    case 'AWS::SQS::Queue':
      return `arn:${partition}:sqs:${region}:${account}:${name}`;
    case 'AWS::DynamoDB::Table':
      return `arn:${partition}:dynamodb:${region}:${account}:table/${name}`;
    case 'AWS::Lambda::Function':
      return `arn:${partition}:lambda:${region}:${account}:function:${name}`;
    case 'AWS::IAM::Role':
      return `arn:${partition}:iam::${account}:role${path()}${name}`;
    case 'AWS::IAM::ManagedPolicy':
      return `arn:${partition}:iam::${account}:policy${path()}${name}`;
    case 'AWS::KMS::Key':
      return `arn:${partition}:kms:${region}:${account}:key/${name}`;
    case 'AWS::SNS::Topic':
      return `arn:${partition}:sns:${region}:${account}:${name}`;
    case 'AWS::Events::Rule':
      return `arn:${partition}:events:${region}:${account}:rule/${name}`;
    case 'AWS::Logs::LogGroup':
      return `arn:${partition}:logs:${region}:${account}:log-group:${name}:*`;
    case 'AWS::SecretsManager::Secret':
      return secretArn(target, name);
    default:
      throw new TemplateResolutionError(`Cannot resolve Fn::GetAtt ${id}.Arn of ${Type}`);
  }
};

/** An IAM path (`/` unless given), as it appears between `role` and the name in an ARN. */
const iamPath = (
  template: TemplateJson,
  properties: Record<string, unknown> | undefined,
  target: DeployTarget,
) => (properties?.Path === undefined ? '/' : String(resolveValue(template, properties.Path, target)));
