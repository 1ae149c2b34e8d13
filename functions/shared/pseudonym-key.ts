import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { z } from 'zod';
import {
  createPseudonymKey,
  KeyVersionNumberSchema,
  type PseudonymKey,
  PseudonymKeySecretSchema,
} from '../../schemas/index.ts';
import { parseEnv } from './config.ts';
import { ENV } from './env-names.ts';
import { MshtError } from './errors.ts';

/** Where a function that derives references finds the pseudonym key, and the version it must be. */
const PseudonymKeyConfigSchema = z.object({
  /** The secret's ARN (on AWS) or name. */
  secretId: z.string().min(1),
  keyVersion: z.coerce.number().pipe(KeyVersionNumberSchema),
});
export type PseudonymKeyConfig = z.infer<typeof PseudonymKeyConfigSchema>;

/** Parses the pseudonym key settings from the `ENV` variables (`parseEnv`). */
export const loadPseudonymKeyConfig = (env: NodeJS.ProcessEnv = process.env): PseudonymKeyConfig =>
  parseEnv(
    PseudonymKeyConfigSchema,
    { secretId: ENV.pseudonymKeySecret, keyVersion: ENV.pseudonymKeyVersion },
    'function environment',
    env,
  );

/** The pseudonym key secret holds no usable key, or a key of another version than the function's. */
export class PseudonymKeyError extends MshtError {
  constructor(message: string) {
    super('PSEUDONYM_KEY_INVALID', message);
  }
}

/** Reads what a secret's `SecretString` says about the key, never quoting the value itself. */
export const pseudonymKeyOf = (
  secretString: string | undefined,
  config: PseudonymKeyConfig,
): PseudonymKey => {
  let json: unknown;
  try {
    json = JSON.parse(secretString ?? '');
  } catch {
    throw new PseudonymKeyError('The pseudonym key secret is not JSON {"version": N, "key": "<64 hex>"}');
  }
  const parsed = PseudonymKeySecretSchema.safeParse(json);
  if (!parsed.success)
    throw new PseudonymKeyError(
      `The pseudonym key secret is not {"version": N, "key": "<64 hex>"} (invalid: ${parsed.error.issues.map((i) => i.path.join('.') || 'value').join(', ')})`,
    );
  if (parsed.data.version !== config.keyVersion)
    throw new PseudonymKeyError(
      `The pseudonym key secret holds key version ${parsed.data.version}, not ${config.keyVersion} as this function is deployed with`,
    );
  return createPseudonymKey(parsed.data);
};

/**
 * The key, read from Secrets Manager (GetSecretValue, the AWSCURRENT version) at most once per
 * execution environment: the first call starts the read and every later call shares it. A failed read
 * is forgotten, so the next invocation tries again. Endpoint, region and credentials come from the
 * standard SDK environment (`AWS_ENDPOINT_URL_SECRETS_MANAGER` for the local stack).
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html
 */
export const pseudonymKeyLoader = (
  config: PseudonymKeyConfig,
  client: Pick<SecretsManagerClient, 'send'> = new SecretsManagerClient({}),
): (() => Promise<PseudonymKey>) => {
  let loading: Promise<PseudonymKey> | undefined;
  return () => {
    loading ??= client
      .send(new GetSecretValueCommand({ SecretId: config.secretId }))
      .then((out) => pseudonymKeyOf(out.SecretString, config))
      .catch((error: unknown) => {
        loading = undefined;
        throw error;
      });
    return loading;
  };
};
