import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ENV } from '../../../functions/shared/env-names.ts';
import {
  loadPseudonymKeyConfig,
  PseudonymKeyError,
  pseudonymKeyLoader,
  pseudonymKeyOf,
} from '../../../functions/shared/pseudonym-key.ts';
import { pseudonymousRef } from '../../../schemas/index.ts';
import { TEST_KEY, TEST_PSEUDONYM_KEY_SECRET } from '../../support/pseudonym-key.ts';

const SECRET = 'arn:aws:secretsmanager:eu-west-2:111122223333:secret:msht-dev-pseudonym-key-AbCdEf';
const config = { secretId: SECRET, keyVersion: 1 };
const sm = mockClient(SecretsManagerClient);

beforeEach(() => sm.reset());

describe('the pseudonym key of a function', () => {
  it('is configured by the secret and the key version in the environment', () => {
    expect(
      loadPseudonymKeyConfig({ [ENV.pseudonymKeySecret]: SECRET, [ENV.pseudonymKeyVersion]: '3' }),
    ).toEqual({ secretId: SECRET, keyVersion: 3 });
    expect(() => loadPseudonymKeyConfig({ [ENV.pseudonymKeySecret]: SECRET })).toThrow(
      /MSHT_PSEUDONYM_KEY_VERSION/,
    );
  });

  it('is read from Secrets Manager once per execution environment, and again only after a failed read', async () => {
    // Prepare
    sm.on(GetSecretValueCommand)
      .rejectsOnce(new Error('throttled'))
      .resolves({ SecretString: JSON.stringify(TEST_PSEUDONYM_KEY_SECRET) });
    const load = pseudonymKeyLoader(config, new SecretsManagerClient({ region: 'eu-west-2' }));

    // Act
    await expect(load()).rejects.toThrow('throttled');
    const [a, b] = await Promise.all([load(), load()]);
    const c = await load();

    // Assess
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
    expect(sm.commandCalls(GetSecretValueCommand)[1]?.args[0].input).toEqual({ SecretId: SECRET });
    expect(a).toBe(b);
    expect(c).toBe(a);
    expect(pseudonymousRef(a as typeof TEST_KEY, 'x')).toBe(pseudonymousRef(TEST_KEY, 'x'));
  });

  it('refuses a secret of another version than the deployed one, or not a key, without quoting it', () => {
    const value = JSON.stringify(TEST_PSEUDONYM_KEY_SECRET);
    expect(() => pseudonymKeyOf(value, { ...config, keyVersion: 2 })).toThrow(/holds key version 1, not 2/);
    for (const bad of [undefined, 'not json', '{"version":1,"key":"short"}', '{"key":"00"}']) {
      let error: unknown;
      try {
        pseudonymKeyOf(bad, config);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(PseudonymKeyError);
      expect(String((error as Error).message)).not.toContain('short');
    }
  });
});
