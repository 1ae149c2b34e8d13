import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AnsweredRequest, GatewayResponse } from '../../../infra/local/iam/gateway.ts';
import type { Persona } from '../../../infra/local/iam/personas.ts';
import { startLocalSecretsManager } from '../../../infra/local/secrets-manager.ts';

const target = { partition: 'aws', region: 'eu-west-2', account: '000000000000' };
const caller: Persona = {
  profile: 'fn-msht-dev-ingest',
  roleArn: 'arn:aws:iam::000000000000:role/ingest',
  sessionArn: 'arn:aws:sts::000000000000:assumed-role/ingest/msht-dev-ingest',
  accessKeyId: 'AKIA0000000000000001',
  secretAccessKey: 'secret',
  statements: [],
};
let counter = 0;
const spec = { name: 'msht-dev-pseudonym-key', initialValue: () => `value-${++counter}` };

const call = (
  answer: (r: AnsweredRequest) => Promise<GatewayResponse>,
  operation: string,
  input: Record<string, unknown>,
  refusal: AnsweredRequest['refusal'] = () => undefined,
) =>
  answer({
    caller,
    incoming: {
      method: 'POST',
      path: '/',
      query: '',
      headers: { 'x-amz-target': `secretsmanager.${operation}` },
    },
    body: Buffer.from(JSON.stringify(input)),
    refusal,
  });

describe('the local Secrets Manager', () => {
  it('creates each secret on first start in the data folder and keeps it across restarts', async () => {
    // Prepare
    const folder = await mkdtemp(join(tmpdir(), 'msht-secrets-'));

    // Act
    const first = await startLocalSecretsManager({ target, secrets: [spec], folder });
    const arn = first.arnOf(spec.name);
    const before = JSON.parse((await call(first.answer, 'GetSecretValue', { SecretId: arn })).body);
    const again = await startLocalSecretsManager({ target, secrets: [spec], folder });
    const after = JSON.parse((await call(again.answer, 'GetSecretValue', { SecretId: spec.name })).body);
    const memory = await startLocalSecretsManager({ target, secrets: [spec] });
    const ephemeral = JSON.parse((await call(memory.answer, 'GetSecretValue', { SecretId: arn })).body);

    // Assess
    expect(arn).toMatch(
      /^arn:aws:secretsmanager:eu-west-2:000000000000:secret:msht-dev-pseudonym-key-\w{6}$/,
    );
    expect(before).toMatchObject({ ARN: arn, Name: spec.name, VersionStages: ['AWSCURRENT'] });
    expect(after.SecretString).toBe(before.SecretString);
    expect(ephemeral.SecretString).not.toBe(before.SecretString);
    const file = join(folder, 'secrets', `${spec.name}.json`);
    expect(JSON.parse(await readFile(file, 'utf8')).secretString).toBe(before.SecretString);
    expect((await stat(file)).mode & 0o077).toBe(0);
  });

  it('authorises GetSecretValue and PutSecretValue on the secret’s ARN before answering', async () => {
    // Prepare
    const sm = await startLocalSecretsManager({ target, secrets: [spec] });
    const asked: unknown[] = [];
    const deny = (requests: readonly unknown[]) => {
      asked.push(...requests);
      return { status: 400, headers: {}, body: 'AccessDeniedException' };
    };

    // Act
    const refused = await call(sm.answer, 'GetSecretValue', { SecretId: spec.name }, deny);
    const put = await call(sm.answer, 'PutSecretValue', { SecretId: spec.name, SecretString: 'v2' });
    const read = JSON.parse((await call(sm.answer, 'GetSecretValue', { SecretId: spec.name })).body);
    const unknown = await call(sm.answer, 'GetSecretValue', { SecretId: 'other' });
    const unsupported = await call(sm.answer, 'DeleteSecret', { SecretId: spec.name });

    // Assess
    expect(refused.body).toBe('AccessDeniedException');
    expect(asked).toEqual([{ action: 'secretsmanager:GetSecretValue', resource: sm.arnOf(spec.name) }]);
    expect(put.status).toBe(200);
    expect(read.SecretString).toBe('v2');
    expect(JSON.parse(unknown.body).__type).toBe('ResourceNotFoundException');
    expect(JSON.parse(unsupported.body).__type).toBe('UnknownOperationException');
  });
});
