import type { LocalStack } from '../../infra/local/local-stack.ts';

/**
 * The environment of a process run as one persona of the local stack: the endpoints and resource names
 * `msht local` prints, the credentials file and `AWS_PROFILE`, and none of the access keys this test
 * process holds (the SDKs take keys in the environment before a profile).
 */
export const profileEnv = (stack: LocalStack, profile: string): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...stack.env,
    AWS_SHARED_CREDENTIALS_FILE: stack.iam.credentialsFile,
    AWS_CONFIG_FILE: stack.iam.configFile,
    AWS_PROFILE: profile,
  };
  for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) delete env[name];
  return env;
};
