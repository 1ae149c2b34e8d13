import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadStageTemplate, templateSourceHash } from '../../../../infra/local/iam/template-cache.ts';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));

describe('templateSourceHash over this repository', () => {
  it('is the same for the same sources and stage, and differs between stages', async () => {
    const dev = await templateSourceHash('dev');
    expect(dev).toMatch(/^[0-9a-f]{32}$/);
    expect(await templateSourceHash('dev')).toBe(dev);
    expect(await templateSourceHash('prod')).not.toBe(dev);
  });
});

describe('templateSourceHash over a copy of the sources', () => {
  // The module hashes the tree it sits in: a copy of it in a temporary tree hashes that tree.
  let root: string;
  let hashOf: (stage: string) => Promise<string>;
  const write = async (path: string, text: string) => {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  };

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'msht-template-cache-'));
    await mkdir(join(root, 'infra', 'local', 'iam'), { recursive: true });
    await copyFile(
      join(REPO, 'infra/local/iam/template-cache.ts'),
      join(root, 'infra/local/iam/template-cache.ts'),
    );
    await write('infra/app.ts', 'export const app = 1;\n');
    await write('schemas/common/a.json', '{}\n');
    await write('functions/shared/env-names.ts', 'export const A = "A";\n');
    await write('functions/other/handler.ts', 'export const handler = 1;\n');
    await write('cdk.json', '{"app":"x"}\n');
    await write('package-lock.json', '{"lockfileVersion":3}\n');
    const copy = (await import(
      pathToFileURL(join(root, 'infra/local/iam/template-cache.ts')).href
    )) as typeof import('../../../../infra/local/iam/template-cache.ts');
    hashOf = copy.templateSourceHash;
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('changes when a source file changes, is restored when it is restored, and covers function code and new files', async () => {
    const before = await hashOf('dev');
    expect(await hashOf('dev')).toBe(before);

    await write('infra/app.ts', 'export const app = 2;\n');
    const changed = await hashOf('dev');
    expect(changed).not.toBe(before);

    await write('infra/app.ts', 'export const app = 1;\n');
    expect(await hashOf('dev')).toBe(before);

    for (const path of [
      'schemas/common/a.json',
      'functions/shared/env-names.ts',
      'cdk.json',
      'package-lock.json',
    ]) {
      // Each against the hash just before it, so every file is shown to count on its own.
      const previous = await hashOf('dev');
      await write(path, 'changed\n');
      expect(await hashOf('dev'), path).not.toBe(previous);
    }
    const all = await hashOf('dev');
    // Function code is part of it too: the registry imports constants from functions/.
    await write('functions/other/handler.ts', 'export const handler = 2;\n');
    const withFunction = await hashOf('dev');
    expect(withFunction).not.toBe(all);
    // A new file under infra/ is.
    await write('infra/new-construct.ts', 'export {};\n');
    expect(await hashOf('dev')).not.toBe(withFunction);
  });
});

describe('loadStageTemplate', () => {
  let cacheDir: string;
  beforeAll(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'msht-template-dir-'));
  });
  afterAll(async () => {
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('reads the cached template of the current sources without synthesizing', async () => {
    const template = {
      Resources: { Marker: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'fake' } } },
    };
    await writeFile(join(cacheDir, `dev-${await templateSourceHash('dev')}.json`), JSON.stringify(template));
    const started = Date.now();
    expect(await loadStageTemplate('dev', cacheDir)).toEqual(template);
    // A synthesis takes seconds; a cache hit milliseconds.
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('a corrupt cached file is an error, not a silent re-synthesis', async () => {
    await writeFile(join(cacheDir, `prod-${await templateSourceHash('prod')}.json`), '{"Resources":');
    await expect(loadStageTemplate('prod', cacheDir)).rejects.toThrow(SyntaxError);
  });
});
