import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { settingsFor } from '../../../../infra/config.ts';
import type { IamModel, RoleModel } from '../../../../infra/local/iam/iam-model.ts';
import {
  ADMIN_ROLE_NAME,
  buildPersonas,
  configFile,
  credentialsFile,
  functionProfile,
  loadSeed,
} from '../../../../infra/local/iam/personas.ts';
import type { Statement } from '../../../../infra/local/iam/policy-evaluator.ts';

const account = '111122223333';
const settings = settingsFor('dev');
const role = (name: string, statements: Statement[] = []): RoleModel => ({
  name,
  arn: `arn:aws:iam::${account}:role/${name}`,
  statements,
  trust: [],
});
const uploadStatement: Statement = { Effect: 'Allow', Action: 's3:PutObject', Resource: '*' };
const modelWith = (omit?: string): IamModel => {
  const names = [
    ...settings.organisations.map((o) => `${settings.prefix}-upload-${o.code}`),
    `${settings.prefix}-national-team`,
    `${settings.prefix}-feed-consumer`,
    `${settings.prefix}-publication-reader`,
    'ingest-role',
  ].filter((n) => n !== omit);
  return {
    target: { partition: 'aws', region: 'eu-west-2', account },
    roles: new Map(names.map((n) => [n, role(n, n.includes('-upload-') ? [uploadStatement] : [])])),
    resourcePolicies: new Map(),
    encryption: { buckets: new Map(), queues: new Map(), tables: new Map(), secrets: new Map() },
    functionRoles: new Map([['msht-dev-ingest', 'ingest-role']]),
    warnings: [],
  };
};
const firstOrg = settings.organisations[0]?.code as string;

describe('buildPersonas', () => {
  it('makes one persona per organisation, national, feed, publication, each function and admin', () => {
    const personas = buildPersonas(modelWith(), settings, 'seed');
    const profiles = personas.map((p) => p.profile);
    expect(profiles).toHaveLength(settings.organisations.length + 5);
    expect(profiles).toEqual(
      expect.arrayContaining([
        `org-${firstOrg}`,
        'national',
        'feed',
        'publication',
        'fn-msht-dev-ingest',
        'admin',
      ]),
    );
    const org = personas.find((p) => p.profile === `org-${firstOrg}`);
    expect(org).toMatchObject({
      roleArn: `arn:aws:iam::${account}:role/msht-dev-upload-${firstOrg}`,
      sessionArn: `arn:aws:sts::${account}:assumed-role/msht-dev-upload-${firstOrg}/org-${firstOrg}`,
      statements: [uploadStatement],
    });
    const fn = personas.find((p) => p.profile === functionProfile('msht-dev-ingest'));
    expect(fn?.roleArn).toBe(`arn:aws:iam::${account}:role/ingest-role`);
    const admin = personas.find((p) => p.profile === 'admin');
    expect(admin).toMatchObject({
      roleArn: `arn:aws:iam::${account}:role/${ADMIN_ROLE_NAME}`,
      sessionArn: `arn:aws:sts::${account}:assumed-role/${ADMIN_ROLE_NAME}/admin`,
      statements: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
    });
    expect(personas.every((p) => p.expiresAt === undefined && p.sessionToken === undefined)).toBe(true);
  });

  it('access key ids are 20 characters like AWS, unique, stable for a profile and independent of the seed', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (seed1, seed2) => {
        const one = buildPersonas(modelWith(), settings, seed1);
        const two = buildPersonas(modelWith(), settings, seed2);
        for (const p of one) expect(p.accessKeyId).toMatch(/^AKIA[0-9A-F]{16}$/);
        expect(new Set(one.map((p) => p.accessKeyId)).size).toBe(one.length);
        expect(one.map((p) => p.accessKeyId)).toEqual(two.map((p) => p.accessKeyId));
      }),
      { numRuns: 20 },
    );
  });

  it('secrets are stable for the same seed, differ between seeds and between profiles', () => {
    const a = buildPersonas(modelWith(), settings, 'seed-a');
    const again = buildPersonas(modelWith(), settings, 'seed-a');
    const b = buildPersonas(modelWith(), settings, 'seed-b');
    expect(a.map((p) => p.secretAccessKey)).toEqual(again.map((p) => p.secretAccessKey));
    a.forEach((p, i) => {
      expect(p.secretAccessKey).toHaveLength(40);
      expect(p.secretAccessKey).not.toBe(b[i]?.secretAccessKey);
    });
    expect(new Set(a.map((p) => p.secretAccessKey)).size).toBe(a.length);
  });

  it('refuses a template without a role a persona needs', () => {
    expect(() => buildPersonas(modelWith('msht-dev-national-team'), settings, 's')).toThrow(
      'The dev template has no role msht-dev-national-team (for profile national)',
    );
  });
});

describe('credentialsFile and configFile', () => {
  const personas = buildPersonas(modelWith(), settings, 'seed');

  it('list every person but not the functions', () => {
    const credentials = credentialsFile(personas);
    const org = personas.find((p) => p.profile === `org-${firstOrg}`);
    expect(credentials).toContain(
      `[org-${firstOrg}]\n# ${org?.roleArn}\naws_access_key_id = ${org?.accessKeyId}\naws_secret_access_key = ${org?.secretAccessKey}\n`,
    );
    expect(credentials.match(/^\[/gm)).toHaveLength(personas.length - 1);
    expect(credentials).toContain('[admin]');
    expect(credentials).not.toContain('fn-');
    const config = configFile(personas, 'eu-west-2');
    expect(config).toContain('[profile national]\nregion = eu-west-2\n');
    expect(config.match(/^\[profile /gm)).toHaveLength(personas.length - 1);
    expect(config).not.toContain('fn-');
  });
});

describe('loadSeed', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('without a file gives a fresh random seed each time', async () => {
    const one = await loadSeed(undefined);
    expect(one).toMatch(/^[0-9a-f]{64}$/);
    expect(await loadSeed(undefined)).not.toBe(one);
  });

  it('creates the file (private) when there is none, then reads the same seed back', async () => {
    dir = await mkdtemp(join(tmpdir(), 'msht-seed-'));
    const file = join(dir, 'nested', 'seed');
    const seed = await loadSeed(file);
    expect(seed).toMatch(/^[0-9a-f]{64}$/);
    expect(await readFile(file, 'utf8')).toBe(`${seed}\n`);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await loadSeed(file)).toBe(seed);
  });

  it('rethrows errors other than a missing file', async () => {
    dir = await mkdtemp(join(tmpdir(), 'msht-seed-'));
    await expect(loadSeed(dir)).rejects.toMatchObject({ code: 'EISDIR' });
  });
});
