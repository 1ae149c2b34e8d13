import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsClients } from '../../functions/shared/aws/clients.ts';
import { createLedger } from '../../functions/shared/ledger.ts';
import { functionName } from '../../infra/function-registry.ts';
import { localFunctionUrl } from '../../infra/local/lambda-service.ts';
import { LOCAL_REGION, type LocalStack, startLocalStack } from '../../infra/local/local-stack.ts';
import { signer } from '../unit/local/iam/sdk-signer.ts';

// The upload API as a force uses it: a request to its Function URL signed with the force's own upload
// role (lambda:InvokeFunctionUrl, and lambda:InvokeFunction via the URL), a form signed with a session
// scoped to the force's prefix, the extract posted with it to the landing bucket, and the pipeline
// ingesting it. The local stack's gateways enforce all of it with the app's policies.
const ORG = 'PF-E23000014';
const OTHER = 'PF-E23000002';
const CSV = [
  'source_record_ref,source_system,roles,sex,date_of_birth,nationality',
  'F-1,NICHE,potential victim,F,14/03/2009,Albanian',
  'F-2,NICHE,suspect,male,1990-01-02,GBR',
].join('\r\n');

let stack: LocalStack;

type Answer = { readonly status: number; readonly body: string };

/** A request to the upload API's Function URL, signed (SigV4, service lambda) as `profile`. */
const callUrl = async (profile: string, body: string): Promise<Answer> => {
  const url = new URL(localFunctionUrl(stack.endpoints.lambda, functionName('uploadApi', stack.settings)));
  const signed = await signer('lambda', stack.iam.credentials(profile)).sign({
    method: 'POST',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    query: {},
    headers: { host: url.host, 'content-type': 'application/json' },
    body,
  });
  const res = await fetch(url, { method: 'POST', headers: signed.headers as Record<string, string>, body });
  return { status: res.status, body: await res.text() };
};

type Form = { url: string; key: string; fields: Record<string, string> };

const post = async (form: Form, key = form.key): Promise<number> => {
  const data = new FormData();
  for (const [name, value] of Object.entries({ ...form.fields, key })) data.append(name, value);
  data.append('file', new Blob([CSV], { type: 'text/csv' }), 'subjects.csv');
  return (await fetch(form.url, { method: 'POST', body: data })).status;
};

beforeAll(async () => {
  stack = await startLocalStack({
    dataDir: await mkdtemp(join(tmpdir(), 'msht-upload-api-')),
    logLevel: 'ERROR',
    schedules: { pndExport: false, markerExpiry: false },
  });
});

afterAll(async () => {
  await stack?.stop();
});

describe('the upload API on the local stack', () => {
  it('issues a form through its Function URL with which a force uploads an extract that the pipeline ingests', async () => {
    // Act: ask for a form as the force, then post the file with it
    const answer = await callUrl(
      `org-${ORG}`,
      JSON.stringify({ fileName: 'subjects.csv', period: '2026-10' }),
    );
    expect(answer.status).toBe(200);
    const form = JSON.parse(answer.body) as Form;
    expect(form.key).toBe(`incoming/${ORG}/2026-10/subjects.csv`);
    expect(await post(form)).toBe(204);
    await stack.waitForIdle({ timeoutMs: 30_000 });

    // Assert
    const ledger = createLedger(createAwsClients().dynamodb, stack.resources.tables.uploads);
    const entry = (await ledger.listByOrg(ORG, 10)).find((e) => e.key === form.key);
    expect(entry).toMatchObject({
      status: 'INDEXED',
      counts: { rows: 2, accepted: 2, rejected: 0, indexed: 2 },
    });
  });

  it('refuses a form whose key was edited to another organisation’s prefix', async () => {
    const answer = await callUrl(
      `org-${ORG}`,
      JSON.stringify({ fileName: 'subjects.csv', period: '2026-10' }),
    );
    const form = JSON.parse(answer.body) as Form;
    expect(await post(form, `incoming/${OTHER}/2026-10/subjects.csv`)).toBe(403);
  });

  it('answers 403 to a caller that is not an upload role, and 400 to a body it cannot use', async () => {
    // The national team may not even reach the URL (no lambda:InvokeFunctionUrl); a force's bad body is a 400.
    const asTeam = await callUrl('national', JSON.stringify({ fileName: 'subjects.csv', period: '2026-10' }));
    expect(asTeam.status).toBe(403);
    const notJson = await callUrl(`org-${ORG}`, 'fileName=subjects.csv');
    expect(notJson.status).toBe(400);
  });

  it('refuses a force that invokes the function directly instead of through its URL', async () => {
    const lambda = new LambdaClient({
      endpoint: stack.endpoints.lambda,
      region: LOCAL_REGION,
      credentials: stack.iam.credentials(`org-${ORG}`),
    });
    const forged = {
      version: '2.0',
      body: JSON.stringify({ fileName: 'subjects.csv', period: '2026-10' }),
      requestContext: {
        authorizer: { iam: { userArn: `arn:aws:sts::000000000000:assumed-role/msht-dev-upload-${OTHER}/x` } },
      },
    };
    await expect(
      lambda.send(
        new InvokeCommand({
          FunctionName: functionName('uploadApi', stack.settings),
          Payload: JSON.stringify(forged),
        }),
      ),
    ).rejects.toMatchObject({ name: 'AccessDeniedException' });
    lambda.destroy();
  });

  it('gives no form for an event that did not come through the Function URL, even from a caller who may invoke it', async () => {
    // The platform engineer may invoke any function; an event naming a force without the URL's shape gets no form.
    const lambda = new LambdaClient({
      endpoint: stack.endpoints.lambda,
      region: LOCAL_REGION,
      credentials: stack.iam.credentials('admin'),
    });
    const forged = {
      body: JSON.stringify({ fileName: 'subjects.csv', period: '2026-10' }),
      requestContext: {
        accountId: '000000000000',
        authorizer: { iam: { userArn: `arn:aws:sts::000000000000:assumed-role/msht-dev-upload-${OTHER}/x` } },
      },
    };
    const answer = await lambda.send(
      new InvokeCommand({
        FunctionName: functionName('uploadApi', stack.settings),
        Payload: JSON.stringify(forged),
      }),
    );
    lambda.destroy();
    const result = JSON.parse(Buffer.from(answer.Payload ?? new Uint8Array()).toString('utf8')) as {
      statusCode: number;
      body: string;
    };
    expect(result.statusCode).toBe(403);
    expect(result.body).not.toContain('fields');
  });
});
