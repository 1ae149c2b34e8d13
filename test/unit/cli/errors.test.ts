import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CliError, describeCliError, EXIT_COULD_NOT_RUN, readable } from '../../../cli/errors.ts';
import { MshtError } from '../../../functions/shared/errors.ts';

const MSHT = new URL('../../../bin/msht.mjs', import.meta.url).pathname;
const home = mkdtempSync(join(tmpdir(), 'msht-cli-home-'));

/** Runs the real `msht` in a clean environment: no AWS settings but those given, no ~/.aws. */
const msht = (args: string[], env: Record<string, string> = {}) => {
  const result = spawnSync(process.execPath, [MSHT, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: home, AWS_EC2_METADATA_DISABLED: 'true', ...env },
    timeout: 60_000,
  });
  return { status: result.status, stderr: result.stderr };
};

const failureOf = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
};

describe('msht explains what stopped a command, in one line, without a stack trace', () => {
  it('names the missing AWS region and how to point at the local stack', () => {
    const { status, stderr } = msht(['status', '--org', 'PF-E23000001']);
    expect(status).toBe(EXIT_COULD_NOT_RUN);
    expect(stderr).toContain('No AWS region is set: set AWS_REGION');
    expect(stderr).toContain('npx msht local');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('names missing credentials', () => {
    const { status, stderr } = msht(['status', '--org', 'PF-E23000001'], { AWS_REGION: 'eu-west-2' });
    expect(status).toBe(EXIT_COULD_NOT_RUN);
    expect(stderr).toContain('No AWS credentials were found');
  });

  it('names the endpoint that does not answer', () => {
    const { status, stderr } = msht(['status', '--org', 'PF-E23000001'], {
      AWS_REGION: 'eu-west-2',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_MAX_ATTEMPTS: '1',
      AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:1',
    });
    expect(status).toBe(EXIT_COULD_NOT_RUN);
    expect(stderr).toContain('Nothing answers at 127.0.0.1:1');
  });

  it('names a file that cannot be read, before anything is written or uploaded', () => {
    const missing = join(home, 'subjects.csv');
    for (const command of ['validate', 'upload']) {
      const { status, stderr } = msht([command, missing, '--org', 'PF-E23000001']);
      expect([command, status]).toEqual([command, EXIT_COULD_NOT_RUN]);
      expect(stderr).toContain(`Cannot read ${missing}: no such file.`);
    }
  });
});

describe('describeCliError', () => {
  it('explains a folder given as a file', async () => {
    expect(describeCliError(await failureOf(readable(home)))).toEqual({
      message: `Cannot read ${home}: it is a folder.`,
      exitCode: EXIT_COULD_NOT_RUN,
    });
  });

  it('keeps the exit status a CliError asks for', () => {
    expect(describeCliError(new CliError('no such upload', { exitCode: 2 }))).toEqual({
      message: 'no such upload',
      exitCode: 2,
    });
  });

  it('tells the pipeline’s own typed errors with their code', () => {
    expect(describeCliError(new MshtError('PND_BATCH_UNKNOWN', 'No complete PND batch b1'))).toEqual({
      message: '[PND_BATCH_UNKNOWN] No complete PND batch b1',
      exitCode: 1,
    });
  });

  it('tells where an input file does not match its schema (exit 2)', () => {
    const invalid = z.object({ batchId: z.string() }).safeParse({ batchId: 5 });
    const described = describeCliError(invalid.error);
    expect(described.exitCode).toBe(2);
    expect(described.message).toMatch(
      /does not match its schema:\n.*expected string, received number\n.*at batchId/s,
    );
  });

  it('tells an AWS service refusal with its error name and HTTP status', () => {
    const refused = Object.assign(new Error('Rate exceeded'), {
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 400 },
    });
    expect(describeCliError(refused).message).toBe(
      'AWS refused the request (ThrottlingException, HTTP 400): Rate exceeded',
    );
    expect(describeCliError(refused).exitCode).toBe(4);
  });

  it('tells an IAM refusal with AWS’s own sentence and which role to check (exit 4)', () => {
    const refused = Object.assign(
      new Error(
        'User: arn:aws:sts::000000000000:assumed-role/r/s is not authorized to perform: dynamodb:Query',
      ),
      { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } },
    );
    const described = describeCliError(refused);
    expect(described.message).toMatch(
      /^Your credentials may not do this: User: .* dynamodb:Query Check which role/,
    );
    expect(described.exitCode).toBe(4);
  });

  it('points anything unforeseen at MSHT_DEBUG, with exit status 1', () => {
    expect(describeCliError(new Error('boom'))).toEqual({
      message: 'boom (set MSHT_DEBUG=1 to see where it failed)',
      exitCode: 1,
    });
  });
});
