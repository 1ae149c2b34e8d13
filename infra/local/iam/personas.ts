import { createHash, createHmac, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pushConsumerRoleName } from '../../../schemas/feed/push-consumers.ts';
import {
  feedConsumerRoleName,
  nationalTeamRoleName,
  publicationReaderRoleName,
  uploadRoleName,
} from '../../../schemas/role-names.ts';
import type { StageSettings } from '../../config.ts';
import type { IamModel } from './iam-model.ts';
import type { Statement } from './policy-evaluator.ts';

/** Who a local access key stands for: a role of the CDK app (or the local administrator). */
export type Persona = {
  /** The profile name in the credentials file: `org-PF-E23000001`, `national`, `feed`, `admin`, `fn-ingest`. */
  readonly profile: string;
  /** The role the key acts as (`arn:aws:iam::ACCOUNT:role/NAME`): what policies name. */
  readonly roleArn: string;
  /** The session ARN AWS would report (`arn:aws:sts::ACCOUNT:assumed-role/NAME/local`): what errors name. */
  readonly sessionArn: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  /** The role's identity policies (inline and attached), resolved. */
  readonly statements: readonly Statement[];
  /** A session policy narrowing the role (STS AssumeRole's `Policy`), if any. */
  readonly sessionStatements?: readonly Statement[];
  /** When temporary credentials stop working (ms since epoch); static keys never do. */
  readonly expiresAt?: number;
};

/**
 * The platform engineer: an account administrator (AWS's AdministratorAccess managed policy), which is
 * not part of the app. Key policies still bound what it may decrypt, as on AWS.
 */
export const ADMIN_ROLE_NAME = 'msht-local-administrator';
const ADMINISTRATOR_ACCESS: Statement[] = [{ Effect: 'Allow', Action: '*', Resource: '*' }];

/** Access key ids look like AWS's (20 upper-case characters) and are stable for a profile name. */
const accessKeyIdFor = (profile: string): string =>
  `AKIA${createHash('sha256').update(profile).digest('hex').slice(0, 16).toUpperCase()}`;

/** The secret of a profile, derived from the data folder's seed: stable across restarts of the same data. */
const secretFor = (seed: string, profile: string): string =>
  createHmac('sha256', seed).update(profile).digest('base64url').slice(0, 40);

const sessionArnOf = (roleArn: string, session: string): string =>
  `${roleArn.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/')}/${session}`;

type PersonaSpec = { readonly profile: string; readonly roleName: string };

/** The profile of push consumer `name`'s role, e.g. `feed-case-system`. */
export const pushConsumerProfile = (name: string): string => `feed-${name}`;

/**
 * The people and functions of the local stack, each with its own access key: every organisation's
 * upload role (`org-{ORG}`), the national team (`national`), feed consumers (`feed`), partners who
 * read the shareable tier (`publication`), the platform
 * engineer (`admin`), and each Lambda function's execution role (`fn-{function name}`), whose keys the
 * local stack gives that function alone.
 */
export const buildPersonas = (model: IamModel, settings: StageSettings, seed: string): Persona[] => {
  const { partition, account } = model.target;
  const specs: PersonaSpec[] = [
    ...settings.organisations.map((org) => ({
      profile: orgProfile(org.code),
      roleName: uploadRoleName(settings, org.code),
    })),
    { profile: 'national', roleName: nationalTeamRoleName(settings) },
    { profile: 'feed', roleName: feedConsumerRoleName(settings) },
    ...settings.pushConsumers.map(({ name }) => ({
      profile: pushConsumerProfile(name),
      roleName: pushConsumerRoleName(settings, name),
    })),
    { profile: 'publication', roleName: publicationReaderRoleName(settings) },
    ...[...model.functionRoles].map(([functionName, roleName]) => ({
      profile: functionProfile(functionName),
      roleName,
    })),
  ];
  const personas = specs.map(({ profile, roleName }): Persona => {
    const role = model.roles.get(roleName);
    if (!role)
      throw new Error(`The ${settings.stage} template has no role ${roleName} (for profile ${profile})`);
    return {
      profile,
      roleArn: role.arn,
      sessionArn: sessionArnOf(role.arn, profile),
      accessKeyId: accessKeyIdFor(profile),
      secretAccessKey: secretFor(seed, profile),
      statements: role.statements,
    };
  });
  const adminArn = `arn:${partition}:iam::${account}:role/${ADMIN_ROLE_NAME}`;
  personas.push({
    profile: 'admin',
    roleArn: adminArn,
    sessionArn: sessionArnOf(adminArn, 'admin'),
    accessKeyId: accessKeyIdFor('admin'),
    secretAccessKey: secretFor(seed, 'admin'),
    statements: ADMINISTRATOR_ACCESS,
  });
  return personas;
};

/** The profile name of a function's own credentials. */
export const functionProfile = (functionName: string): string => `fn-${functionName}`;

/** The profile name of an organisation's upload role. */
export const orgProfile = (org: string): string => `org-${org}`;

/** Whether a persona is a person's (in the credentials file), not a function role's. */
export const isPersonProfile = (persona: Pick<Persona, 'profile'>): boolean =>
  !persona.profile.startsWith('fn-');

/**
 * The seed the secrets derive from, kept in the data folder so a restarted stack keeps the same keys
 * (a shell that exported them goes on working); a new random one where there is none.
 */
export const loadSeed = async (file: string | undefined): Promise<string> => {
  if (!file) return randomBytes(32).toString('hex');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const seed = randomBytes(32).toString('hex');
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${seed}\n`, { mode: 0o600 });
  return seed;
};

/**
 * An AWS shared credentials file with one profile per person (not the functions' own keys: those are
 * the functions'). https://docs.aws.amazon.com/sdkref/latest/guide/file-format.html
 */
export const credentialsFile = (personas: readonly Persona[]): string =>
  personas
    .filter(isPersonProfile)
    .map((p) =>
      [
        `[${p.profile}]`,
        `# ${p.roleArn}`,
        `aws_access_key_id = ${p.accessKeyId}`,
        `aws_secret_access_key = ${p.secretAccessKey}`,
        '',
      ].join('\n'),
    )
    .join('\n');

/** The matching config file: the region for every profile (the SDKs read it from here, not the credentials file). */
export const configFile = (personas: readonly Persona[], region: string): string =>
  personas
    .filter(isPersonProfile)
    .map((p) => `[profile ${p.profile}]\nregion = ${region}\n`)
    .join('\n');
