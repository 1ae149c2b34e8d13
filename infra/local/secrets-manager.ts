import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serviceError } from './iam/error-responses.ts';
import type { AnsweredRequest, GatewayResponse } from './iam/gateway.ts';
import {
  parseSecretsManagerRequest,
  secretsManagerAuthorizationRequests,
} from './iam/secretsmanager-requests.ts';
import { type DeployTarget, secretArn } from './iam/template.ts';

/** A secret the local stack creates, as the CDK stack does: its name and how its first value is made. */
export type LocalSecretSpec = { readonly name: string; readonly initialValue: () => string };

/** One stored secret: its current (AWSCURRENT) version only. */
type StoredSecret = {
  readonly versionId: string;
  readonly createdDate: number;
  readonly secretString: string;
};

export type LocalSecretsManager = {
  /** The Secrets Manager API behind the IAM gateway (JSON 1.1: GetSecretValue, PutSecretValue). */
  readonly answer: (request: AnsweredRequest) => Promise<GatewayResponse>;
  /** The ARN of a secret, as the template's policies name it. */
  readonly arnOf: (name: string) => string;
};

const json = (body: unknown): GatewayResponse => ({
  status: 200,
  headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() },
  body: JSON.stringify(body),
});

/**
 * The local Secrets Manager: the stage's secrets, each created on first start with its generated value
 * and kept under `folder/secrets/` (so a pseudonym key stays the same across restarts with the same
 * data folder), or in memory only when no folder is given. Every request has passed the gateway's
 * SigV4 check; each operation is authorised (with the kms:Decrypt or kms:GenerateDataKey it implies
 * on the secret's key) against the caller's policies before it is answered.
 */
export const startLocalSecretsManager = async (options: {
  readonly target: DeployTarget;
  readonly secrets: readonly LocalSecretSpec[];
  /** Where secret values persist; omitted: in memory, a new value each start. */
  readonly folder?: string;
  readonly now?: () => Date;
}): Promise<LocalSecretsManager> => {
  const now = options.now ?? (() => new Date());
  const folder = options.folder === undefined ? undefined : join(options.folder, 'secrets');
  if (options.folder) await mkdir(options.folder, { recursive: true, mode: 0o700 });
  if (folder) await mkdir(folder, { recursive: true, mode: 0o700 });
  const fileOf = (name: string): string => join(folder as string, `${encodeURIComponent(name)}.json`);
  const save = async (name: string, secret: StoredSecret): Promise<void> => {
    if (!folder) return;
    const file = fileOf(name);
    await writeFile(`${file}.tmp`, JSON.stringify(secret), { mode: 0o600 });
    await rename(`${file}.tmp`, file);
  };
  const store = new Map<string, StoredSecret>();
  for (const spec of options.secrets) {
    let secret: StoredSecret | undefined;
    if (folder) {
      try {
        secret = JSON.parse(await readFile(fileOf(spec.name), 'utf8')) as StoredSecret;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    if (!secret) {
      secret = {
        versionId: randomUUID(),
        createdDate: Math.floor(now().getTime() / 1000),
        secretString: spec.initialValue(),
      };
      await save(spec.name, secret);
    }
    store.set(spec.name, secret);
  }
  const arnOf = (name: string): string => secretArn(options.target, name);
  /** A SecretId (name, full ARN or ARN without its suffix) to the secret's name. */
  const resolve = (id: string): string | undefined =>
    [...store.keys()].find((name) => {
      const arn = arnOf(name);
      return id === name || id === arn || id === arn.slice(0, -7);
    });
  const { partition, region, account } = options.target;

  const answer = async ({ incoming, body, refusal }: AnsweredRequest): Promise<GatewayResponse> => {
    const request = parseSecretsManagerRequest(incoming, body);
    if (request.action === 'Invalid')
      return serviceError('secretsmanager', 400, request.code, request.message);
    const name = resolve(request.secretId);
    // An unknown secret is authorised on the ARN it would have, so a caller learns nothing it may not ask.
    const arn =
      name === undefined
        ? request.secretId.startsWith('arn:')
          ? request.secretId
          : `arn:${partition}:secretsmanager:${region}:${account}:secret:${request.secretId}`
        : arnOf(name);
    const refused = refusal(secretsManagerAuthorizationRequests(request, arn));
    if (refused) return refused;
    const secret = name === undefined ? undefined : store.get(name);
    if (name === undefined || !secret)
      return serviceError(
        'secretsmanager',
        400,
        'ResourceNotFoundException',
        "Secrets Manager can't find the specified secret.",
      );
    if (request.action === 'GetSecretValue') {
      const stage = request.versionStage ?? 'AWSCURRENT';
      if ((request.versionId && request.versionId !== secret.versionId) || stage !== 'AWSCURRENT')
        return serviceError(
          'secretsmanager',
          400,
          'ResourceNotFoundException',
          "Secrets Manager can't find the specified secret value for the version or staging label (the local one keeps AWSCURRENT only).",
        );
      return json({
        ARN: arn,
        Name: name,
        VersionId: secret.versionId,
        SecretString: secret.secretString,
        VersionStages: ['AWSCURRENT'],
        CreatedDate: secret.createdDate,
      });
    }
    const next: StoredSecret = {
      versionId: request.clientRequestToken ?? randomUUID(),
      createdDate: Math.floor(now().getTime() / 1000),
      secretString: request.secretString,
    };
    store.set(name, next);
    await save(name, next);
    return json({ ARN: arn, Name: name, VersionId: next.versionId, VersionStages: ['AWSCURRENT'] });
  };
  return { answer, arnOf };
};
