import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Context, LambdaFunctionURLEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsClients } from '../../functions/shared/aws/clients.ts';
import { createLedger } from '../../functions/shared/ledger.ts';
import type { UploadApiResponse } from '../../functions/upload-api/handler.ts';
import { type LocalStack, startLocalStack } from '../../infra/local/local-stack.ts';

// The upload API's real handler on the local stack: a force asks for a form, posts its extract with it
// to the landing bucket (s3rver), and the pipeline ingests it. The policy's conditions are S3's to
// enforce (s3rver does not); test/unit/upload-api checks them and the signature.
const ORG = 'PF-E23000014';
const ACCOUNT = '000000000000';
const CSV = [
  'source_record_ref,source_system,roles,sex,date_of_birth,nationality',
  'F-1,NICHE,potential victim,F,14/03/2009,Albanian',
  'F-2,NICHE,suspect,male,1990-01-02,GBR',
].join('\r\n');

let stack: LocalStack;
let handler: (event: LambdaFunctionURLEvent, context: Context) => Promise<UploadApiResponse>;

const call = (body: string, role: string): Promise<UploadApiResponse> =>
  handler(
    {
      version: '2.0',
      rawPath: '/',
      rawQueryString: '',
      headers: { 'content-type': 'application/json' },
      isBase64Encoded: false,
      body,
      requestContext: {
        accountId: ACCOUNT,
        authorizer: { iam: { userArn: `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/alice` } },
        http: { method: 'POST', path: '/', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      },
    } as unknown as LambdaFunctionURLEvent,
    { awsRequestId: 'r1', functionName: 'msht-dev-upload-api' } as Context,
  );

beforeAll(async () => {
  stack = await startLocalStack({
    dataDir: await mkdtemp(join(tmpdir(), 'msht-upload-api-')),
    logLevel: 'ERROR',
  });
  process.env.MSHT_STAGE = stack.settings.stage;
  ({ handler } = await import('../../functions/upload-api/handler.ts'));
});

afterAll(async () => {
  await stack?.stop();
});

describe('the upload API on the local stack', () => {
  it('issues a form with which a force uploads an extract that the pipeline then ingests', async () => {
    // Act: ask for a form, then post the file with it
    const answer = await call(
      JSON.stringify({ fileName: 'subjects.csv', period: '2026-10' }),
      `${stack.settings.prefix}-upload-${ORG}`,
    );
    expect(answer.statusCode).toBe(200);
    const form = JSON.parse(String(answer.body)) as {
      url: string;
      key: string;
      fields: Record<string, string>;
    };
    expect(form.key).toBe(`incoming/${ORG}/2026-10/subjects.csv`);
    const data = new FormData();
    for (const [name, value] of Object.entries(form.fields)) data.append(name, value);
    data.append('file', new Blob([CSV], { type: 'text/csv' }), 'subjects.csv');
    const posted = await fetch(form.url, { method: 'POST', body: data });
    expect(posted.status).toBe(204);
    await stack.waitForIdle({ timeoutMs: 30_000 });

    // Assess
    const ledger = createLedger(createAwsClients().dynamodb, stack.resources.tables.uploads);
    const entry = (await ledger.listByOrg(ORG, 10)).find((e) => e.key === form.key);
    expect(entry).toMatchObject({
      status: 'INDEXED',
      counts: { rows: 2, accepted: 2, rejected: 0, indexed: 2 },
    });
  });

  it('answers 403 to a caller that is not an upload role, and 400 to a body it cannot use', async () => {
    const asTeam = await call(
      JSON.stringify({ fileName: 'subjects.csv', period: '2026-10' }),
      `${stack.settings.prefix}-national-team`,
    );
    expect(asTeam.statusCode).toBe(403);
    const notJson = await call('fileName=subjects.csv', `${stack.settings.prefix}-upload-${ORG}`);
    expect(notJson.statusCode).toBe(400);
  });
});
