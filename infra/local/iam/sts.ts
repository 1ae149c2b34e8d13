import { randomBytes } from 'node:crypto';
import { authorize } from './authorize.ts';
import { accessDenied, serviceError } from './error-responses.ts';
import type { AnsweredRequest, GatewayResponse } from './gateway.ts';
import type { IamModel } from './iam-model.ts';
import type { KeyStore } from './key-store.ts';
import type { Persona } from './personas.ts';
import type { Statement } from './policy-evaluator.ts';
import { assumeRoleResponse, getCallerIdentityResponse, parseStsRequest } from './sts-requests.ts';

const randomKeyId = (): string => `ASIA${randomBytes(10).toString('hex').slice(0, 16).toUpperCase()}`;

/**
 * The local STS: AssumeRole (allowed when the caller's policies allow sts:AssumeRole on the role and
 * the role's trust policy trusts the caller, as in one AWS account) issues temporary credentials for
 * the role, narrowed by the session policy the caller passes; GetCallerIdentity says who a key is.
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
 */
export const createLocalSts =
  (deps: {
    readonly model: IamModel;
    readonly keys: KeyStore;
    /** Local resource names to the template's: a session policy names the local buckets, as the functions know them. */
    readonly templateName: (arn: string) => string;
    readonly now?: () => Date;
  }) =>
  async ({ caller, body, incoming }: AnsweredRequest): Promise<GatewayResponse> => {
    const now = deps.now ?? (() => new Date());
    const request = parseStsRequest(incoming, body);
    const { account } = deps.model.target;
    if (request.action === 'GetCallerIdentity')
      return getCallerIdentityResponse({ account, arn: caller.sessionArn, userId: caller.accessKeyId });
    if (request.action === 'Invalid')
      return { status: 400, headers: { 'content-type': 'text/plain' }, body: request.message };
    const roleName = request.roleArn.split('/').pop() ?? '';
    const role = deps.model.roles.get(roleName);
    const denied = (reason: string): GatewayResponse =>
      accessDenied('sts', {
        principalArn: caller.sessionArn,
        action: 'sts:AssumeRole',
        resource: request.roleArn,
        reason,
      });
    if (!role || role.arn !== request.roleArn) return denied('the role does not exist');
    // authorize() reads the role's trust policy as the resource policy of sts:AssumeRole.
    const verdict = authorize(
      deps.model,
      {
        arn: caller.roleArn,
        account,
        statements: caller.statements,
        ...(caller.sessionStatements ? { sessionStatements: caller.sessionStatements } : {}),
      },
      { action: 'sts:AssumeRole', resource: role.arn, context: { 'aws:SecureTransport': 'true' } },
    );
    if (verdict.decision !== 'Allow') return denied(verdict.reason);
    let sessionStatements: Statement[] | undefined;
    if (request.policy !== undefined) {
      let policy: { Statement: Statement | Statement[] };
      try {
        policy = JSON.parse(request.policy) as { Statement: Statement | Statement[] };
      } catch {
        return serviceError('sts', 400, 'MalformedPolicyDocument', 'The session policy is not valid JSON');
      }
      const rename = (value: string | string[] | undefined) =>
        value === undefined
          ? undefined
          : Array.isArray(value)
            ? value.map(deps.templateName)
            : deps.templateName(value);
      sessionStatements = (Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement]).map(
        (st) => ({
          ...st,
          ...(st.Resource === undefined ? {} : { Resource: rename(st.Resource) }),
          ...(st.NotResource === undefined ? {} : { NotResource: rename(st.NotResource) }),
        }),
      );
    }
    const expiresAt = now().getTime() + request.durationSeconds * 1000;
    const sessionArn = `arn:${deps.model.target.partition}:sts::${account}:assumed-role/${role.name}/${request.sessionName}`;
    const persona: Persona = {
      profile: `session:${role.name}/${request.sessionName}`,
      roleArn: role.arn,
      sessionArn,
      accessKeyId: randomKeyId(),
      secretAccessKey: randomBytes(30).toString('base64url').slice(0, 40),
      sessionToken: randomBytes(48).toString('base64'),
      statements: role.statements,
      ...(sessionStatements ? { sessionStatements } : {}),
      expiresAt,
    };
    deps.keys.add(persona);
    return assumeRoleResponse({
      accessKeyId: persona.accessKeyId,
      secretAccessKey: persona.secretAccessKey,
      sessionToken: persona.sessionToken as string,
      expiration: new Date(expiresAt),
      assumedRoleArn: sessionArn,
      assumedRoleId: `AROA${persona.accessKeyId.slice(4)}:${request.sessionName}`,
    });
  };
