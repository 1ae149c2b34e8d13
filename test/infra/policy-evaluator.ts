/**
 * A small IAM policy evaluator over a synthesized CloudFormation template, for tests that ask "may this
 * role do this action on this resource?". It resolves the intrinsics CDK emits (Ref, Fn::GetAtt, Fn::Join,
 * pseudo parameters) into concrete names and ARNs for a fixed account and region, then applies the IAM
 * rules for identity policies: an explicit Deny wins, otherwise any matching Allow allows, otherwise the
 * request is implicitly denied. Actions match case-insensitively with `*` and `?` wildcards, resources
 * case-sensitively; conditions support the String*, Arn* and Bool operators with `IfExists`.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 *
 * Scope: identity policies of one role (inline and attached AWS::IAM::Policy), same account. Resource
 * policies are not consulted: in this stack they only add TLS denials and service principals.
 */

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

/** A policy statement with every intrinsic resolved. */
export type Statement = {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Resource?: string | string[];
  readonly NotResource?: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
};

/** One API request: the action, the resource ARN and the request context keys that conditions read. */
export type Request = {
  readonly action: string;
  readonly resource: string;
  readonly context?: Readonly<Record<string, string>>;
};

export type Decision = 'Allow' | 'ImplicitDeny' | 'ExplicitDeny';

const asArray = <T>(value: T | readonly T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? [...(value as T[])] : [value as T];

const escapeRegExp = (text: string): string => text.replace(/[.+^${}()|[\]\\]/g, '\\$&');

const PATTERNS = new Map<string, RegExp>();

/** Whether `value` matches an IAM pattern with `*` (any run) and `?` (one character). */
export const wildcardMatch = (pattern: string, value: string, caseInsensitive = false): boolean => {
  const cacheKey = `${caseInsensitive ? 'i' : 's'}${pattern}`;
  let regExp = PATTERNS.get(cacheKey);
  if (!regExp) {
    const source = `^${escapeRegExp(pattern).replace(/\*/g, '.*').replace(/\?/g, '.')}$`;
    regExp = new RegExp(source, caseInsensitive ? 'is' : 's');
    PATTERNS.set(cacheKey, regExp);
  }
  return regExp.test(value);
};

/** Resolves CloudFormation intrinsics to concrete strings (or arrays), throwing on anything unknown. */
export const resolveValue = (
  template: TemplateJson,
  value: unknown,
  target: DeployTarget = TEST_TARGET,
): unknown => {
  const resolve = (v: unknown): unknown => resolveValue(template, v, target);
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map(resolve);
  if (value === null || typeof value !== 'object') throw new Error(`Cannot resolve ${JSON.stringify(value)}`);
  const object = value as Record<string, unknown>;
  if ('Ref' in object) return resolveRef(template, String(object.Ref), target);
  if ('Fn::GetAtt' in object) {
    const [id, attribute] = object['Fn::GetAtt'] as [string, string];
    return resolveGetAtt(template, id, attribute, target);
  }
  if ('Fn::Join' in object) {
    const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
    return parts.map((part) => String(resolve(part))).join(separator);
  }
  const intrinsic = Object.keys(object).find((key) => key.startsWith('Fn::'));
  if (intrinsic) throw new Error(`Cannot resolve ${intrinsic}`);
  return Object.fromEntries(Object.entries(object).map(([key, v]) => [key, resolve(v)]));
};

const resourceOf = (template: TemplateJson, id: string) => {
  const resource = template.Resources[id];
  if (!resource) throw new Error(`No resource ${id} in the template`);
  return resource;
};

const nameOf = (template: TemplateJson, id: string, property: string, target: DeployTarget): string => {
  const value = resourceOf(template, id).Properties?.[property];
  return value === undefined ? id.toLowerCase() : String(resolveValue(template, value, target));
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
  switch (Type) {
    case 'AWS::S3::Bucket':
      return nameOf(template, id, 'BucketName', target);
    case 'AWS::SQS::Queue':
      return `https://sqs.${region}.amazonaws.com/${account}/${nameOf(template, id, 'QueueName', target)}`;
    case 'AWS::DynamoDB::Table':
      return nameOf(template, id, 'TableName', target);
    case 'AWS::Lambda::Function':
      return nameOf(template, id, 'FunctionName', target);
    case 'AWS::IAM::Role':
      return nameOf(template, id, 'RoleName', target);
    case 'AWS::KMS::Key':
      return `key-${id.toLowerCase()}`;
    case 'AWS::Logs::LogGroup':
      return nameOf(template, id, 'LogGroupName', target);
    default:
      throw new Error(`Cannot resolve Ref of ${Type} ${id}`);
  }
};

const resolveGetAtt = (
  template: TemplateJson,
  id: string,
  attribute: string,
  target: DeployTarget,
): string => {
  const { partition, region, account } = target;
  const { Type } = resourceOf(template, id);
  if (attribute !== 'Arn') throw new Error(`Cannot resolve Fn::GetAtt ${id}.${attribute}`);
  const ref = resolveRef(template, id, target);
  switch (Type) {
    case 'AWS::S3::Bucket':
      return `arn:${partition}:s3:::${ref}`;
    case 'AWS::SQS::Queue':
      return `arn:${partition}:sqs:${region}:${account}:${nameOf(template, id, 'QueueName', target)}`;
    case 'AWS::DynamoDB::Table':
      return `arn:${partition}:dynamodb:${region}:${account}:table/${ref}`;
    case 'AWS::Lambda::Function':
      return `arn:${partition}:lambda:${region}:${account}:function:${ref}`;
    case 'AWS::IAM::Role':
      return `arn:${partition}:iam::${account}:role/${ref}`;
    case 'AWS::KMS::Key':
      return `arn:${partition}:kms:${region}:${account}:key/${ref}`;
    case 'AWS::Logs::LogGroup':
      return `arn:${partition}:logs:${region}:${account}:log-group:${ref}:*`;
    default:
      throw new Error(`Cannot resolve Fn::GetAtt of ${Type} ${id}`);
  }
};

/** The identity-policy statements of a role: its inline policies and every AWS::IAM::Policy attached to it. */
export const roleStatements = (
  template: TemplateJson,
  roleId: string,
  target: DeployTarget = TEST_TARGET,
): Statement[] => {
  const role = resourceOf(template, roleId);
  if (role.Type !== 'AWS::IAM::Role') throw new Error(`${roleId} is a ${role.Type}, not a role`);
  type Doc = { PolicyDocument: { Statement: unknown[] } };
  const inline = asArray(role.Properties?.Policies as Doc[] | undefined);
  const attached = Object.values(template.Resources)
    .filter(
      (r) =>
        r.Type === 'AWS::IAM::Policy' &&
        asArray(r.Properties?.Roles as unknown[] | undefined).some(
          (ref) => JSON.stringify(ref) === JSON.stringify({ Ref: roleId }),
        ),
    )
    .map((r) => r.Properties as Doc);
  return [...inline, ...attached].flatMap(
    (doc) => resolveValue(template, doc.PolicyDocument.Statement, target) as Statement[],
  );
};

const CONDITION =
  /^(ForAnyValue:|ForAllValues:)?(String(?:Not)?(?:Equals|Like)(?:IgnoreCase)?|Arn(?:Not)?(?:Equals|Like)|Bool)(IfExists)?$/;

const conditionHolds = (
  operator: string,
  key: string,
  expected: string | string[],
  context: Readonly<Record<string, string>>,
): boolean => {
  const match = CONDITION.exec(operator);
  if (!match || match[1])
    throw new Error(`Condition operator ${operator} is not supported by this evaluator`);
  const base = match[2] as string;
  const ifExists = Boolean(match[3]);
  const negated = base.includes('Not');
  const actual = context[key];
  if (actual === undefined) return negated || ifExists;
  const like = base.endsWith('Like');
  const ignoreCase = base.endsWith('IgnoreCase');
  const matches = asArray(expected).some((value) =>
    like
      ? wildcardMatch(value, actual)
      : ignoreCase
        ? value.toLowerCase() === actual.toLowerCase()
        : value === actual,
  );
  return negated ? !matches : matches;
};

const statementApplies = (statement: Statement, request: Request): boolean => {
  const actionMatches = (patterns: string[]) => patterns.some((p) => wildcardMatch(p, request.action, true));
  const resourceMatches = (patterns: string[]) => patterns.some((p) => wildcardMatch(p, request.resource));
  const action =
    statement.Action !== undefined
      ? actionMatches(asArray(statement.Action))
      : !actionMatches(asArray(statement.NotAction));
  const resource =
    statement.Resource !== undefined
      ? resourceMatches(asArray(statement.Resource))
      : !resourceMatches(asArray(statement.NotResource));
  if (!action || !resource) return false;
  const context = request.context ?? {};
  return Object.entries(statement.Condition ?? {}).every(([operator, keys]) =>
    Object.entries(keys).every(([key, expected]) => conditionHolds(operator, key, expected, context)),
  );
};

/** The IAM decision for one request against a set of identity-policy statements. */
export const evaluate = (statements: readonly Statement[], request: Request): Decision => {
  const applying = statements.filter((s) => statementApplies(s, request));
  if (applying.some((s) => s.Effect === 'Deny')) return 'ExplicitDeny';
  return applying.some((s) => s.Effect === 'Allow') ? 'Allow' : 'ImplicitDeny';
};

/** Shorthand: whether the statements allow the request. */
export const allows = (statements: readonly Statement[], request: Request): boolean =>
  evaluate(statements, request) === 'Allow';
