import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StageSettings } from '../../config.ts';
import type { TemplateJson } from './policy-evaluator.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * What the template is built from: the CDK app, the contracts and function constants it reads (the
 * registry imports from functions/), its settings and its versions.
 */
const SOURCES = ['infra', 'schemas', 'functions', 'cdk.json', 'package-lock.json'];

const filesUnder = async (path: string): Promise<string[]> => {
  const full = join(ROOT, path);
  try {
    const entries = await readdir(full, { withFileTypes: true, recursive: true });
    return entries.filter((e) => e.isFile()).map((e) => relative(ROOT, join(e.parentPath, e.name)));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') return [path];
    throw err;
  }
};

/** A hash of every file the template depends on: the cache key. */
export const templateSourceHash = async (stage: string): Promise<string> => {
  const hash = createHash('sha256').update(`stage:${stage}\0`);
  const files = (await Promise.all(SOURCES.map(filesUnder))).flat().sort();
  for (const file of files)
    hash
      .update(`${file}\0`)
      .update(await readFile(join(ROOT, file)))
      .update('\0');
  return hash.digest('hex').slice(0, 32);
};

/** Where synthesized templates are kept between runs (npm's usual cache folder, ignored by git). */
export const TEMPLATE_CACHE_DIR = join(ROOT, 'node_modules', '.cache', 'msht', 'templates');

const synthesize = (stage: string, settings?: StageSettings): Promise<string> =>
  new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [fileURLToPath(new URL('./synth-template.ts', import.meta.url)), stage],
      {
        cwd: ROOT,
        maxBuffer: 256 * 1024 * 1024,
        env: {
          ...process.env,
          CDK_DISABLE_VERSION_CHECK: '1',
          ...(settings ? { MSHT_SYNTH_SETTINGS: JSON.stringify(settings) } : {}),
        },
      },
      (err, stdout, stderr) => {
        if (err)
          reject(
            new Error(
              `Could not synthesize the ${stage} template for the local IAM policies: ${stderr.trim() || err.message}`,
              { cause: err },
            ),
          );
        else resolve(stdout);
      },
    );
  });

/**
 * The stage's CloudFormation template, the same one `cdk synth` builds but without bundling the
 * function code: synthesized once in a child process (about 5 s) and cached under
 * node_modules/.cache/msht/templates by a hash of its sources, so a later start reads it in
 * milliseconds. A change to infra/, schemas/, functions/, cdk.json or the lock file makes a new one.
 */
export const loadStageTemplate = async (
  stage: string,
  cacheDir = TEMPLATE_CACHE_DIR,
  /** Settings to build from instead of the stage's own (cached apart, by a hash of them). */
  custom?: StageSettings,
): Promise<TemplateJson> => {
  const variant = custom
    ? `-${createHash('sha256').update(JSON.stringify(custom)).digest('hex').slice(0, 12)}`
    : '';
  const file = join(cacheDir, `${stage}${variant}-${await templateSourceHash(stage)}.json`);
  try {
    return JSON.parse(await readFile(file, 'utf8')) as TemplateJson;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const text = await synthesize(stage, custom);
  const template = JSON.parse(text) as TemplateJson;
  await mkdir(cacheDir, { recursive: true });
  // Written aside and renamed: concurrent starts (parallel test files) never read half a file.
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, file);
  return template;
};
