import { createHash } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { presignPost } from '../../../../functions/upload-api/post-policy.ts';
import {
  decide,
  type Gateway,
  type GatewayDecision,
  startGateway,
} from '../../../../infra/local/iam/gateway.ts';
import type { IamModel } from '../../../../infra/local/iam/iam-model.ts';
import { createKeyStore } from '../../../../infra/local/iam/key-store.ts';
import type { Persona } from '../../../../infra/local/iam/personas.ts';
import type { IncomingRequest } from '../../../../infra/local/iam/request-types.ts';
import { signWithSdk } from './sdk-signer.ts';

const account = '111122223333';
const region = 'eu-west-2';
const bucketKey = `arn:aws:kms:${region}:${account}:key/bucket-key`;
const model = (overrides: Partial<IamModel> = {}): IamModel => ({
  target: { partition: 'aws', region, account },
  roles: new Map(),
  resourcePolicies: new Map([
    [
      bucketKey,
      [
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${account}:root` },
          Action: 'kms:*',
          Resource: '*',
        },
      ],
    ],
  ]),
  encryption: {
    buckets: new Map([['landing', bucketKey]]),
    queues: new Map(),
    tables: new Map(),
    secrets: new Map(),
  },
  functionRoles: new Map(),
  warnings: [],
  ...overrides,
});
const writer: Persona = {
  profile: 'org-PF-1',
  roleArn: `arn:aws:iam::${account}:role/upload-PF-1`,
  sessionArn: `arn:aws:sts::${account}:assumed-role/upload-PF-1/org-PF-1`,
  accessKeyId: 'AKIA00000000000000PF',
  secretAccessKey: 'writer-secret-0000000000000000000000000',
  statements: [
    {
      Effect: 'Allow',
      Action: ['s3:PutObject', 's3:GetObject'],
      Resource: 'arn:aws:s3:::landing/incoming/PF-1/*',
    },
    { Effect: 'Allow', Action: 'kms:GenerateDataKey', Resource: bucketKey },
  ],
};
const credentials = { accessKeyId: writer.accessKeyId, secretAccessKey: writer.secretAccessKey };
const identity = (arn: string) => arn;

describe('decide', () => {
  const options = { model: model(), templateName: identity };

  it('allows when every request and the KMS calls it implies are allowed', () => {
    expect(
      decide(options, writer, [
        { action: 's3:PutObject', resource: 'arn:aws:s3:::landing/incoming/PF-1/a.csv' },
      ]),
    ).toEqual({ allowed: true });
  });

  it('refuses with the first refused request, as the caller asked it', () => {
    const refused = { action: 's3:PutObject', resource: 'arn:aws:s3:::landing/incoming/PF-2/a.csv' };
    const verdict = decide(options, writer, [
      { action: 's3:PutObject', resource: 'arn:aws:s3:::landing/incoming/PF-1/a.csv' },
      refused,
      { action: 's3:DeleteObject', resource: 'arn:aws:s3:::landing/x' },
    ]);
    expect(verdict).toEqual({
      allowed: false,
      request: refused,
      reason: 'no identity-based policy allows the s3:PutObject action',
    });
  });

  it('refuses with the implied KMS call when the caller may not use the key', () => {
    // A read needs kms:Decrypt, which the writer has not.
    const verdict = decide(options, writer, [
      { action: 's3:GetObject', resource: 'arn:aws:s3:::landing/incoming/PF-1/a.csv' },
    ]);
    expect(verdict).toMatchObject({
      allowed: false,
      request: { action: 'kms:Decrypt', resource: bucketKey },
    });
    // So does a multipart part.
    const part = decide(
      options,
      writer,
      [{ action: 's3:PutObject', resource: 'arn:aws:s3:::landing/incoming/PF-1/a.csv' }],
      { multipart: true },
    );
    expect(part).toMatchObject({ allowed: false, request: { action: 'kms:Decrypt' } });
  });

  it('decides over the template names, and sees the transport as TLS', () => {
    const tls: Persona = {
      ...writer,
      statements: [
        {
          Effect: 'Allow',
          Action: 'sqs:SendMessage',
          Resource: `arn:aws:sqs:${region}:${account}:ingest-in-template`,
          Condition: {
            Bool: { 'aws:SecureTransport': 'true' },
            NumericGreaterThanEquals: { 's3:TlsVersion': '1.2' },
          },
        },
      ],
    };
    const renamed = {
      model: model(),
      templateName: (arn: string) => arn.replace(':ingest', ':ingest-in-template'),
    };
    const request = { action: 'sqs:SendMessage', resource: `arn:aws:sqs:${region}:${account}:ingest` };
    expect(decide(renamed, tls, [request])).toEqual({ allowed: true });
    expect(decide(options, tls, [request])).toMatchObject({ allowed: false, request });
  });

  it('bounds the persona by its session policy', () => {
    const narrowed: Persona = {
      ...writer,
      sessionStatements: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
    };
    expect(
      decide(options, narrowed, [
        { action: 's3:PutObject', resource: 'arn:aws:s3:::landing/incoming/PF-1/a.csv' },
      ]),
    ).toMatchObject({ allowed: false, reason: 'no session policy allows the s3:PutObject action' });
  });
});

type Received = { method: string; url: string; headers: IncomingHttpHeaders; body: Buffer };
type Answer = { status: number; headers: IncomingHttpHeaders; body: Buffer };

/** Resolves once the answer has been read and the whole request written (the gateway read it all). */
const send = (port: number, incoming: IncomingRequest, body?: Buffer | string): Promise<Answer> =>
  new Promise((resolve, reject) => {
    let answer: Answer | undefined;
    let written = false;
    const settle = () => {
      if (answer && written) resolve(answer);
    };
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: incoming.method,
        path: incoming.query ? `${incoming.path}?${incoming.query}` : incoming.path,
        headers: incoming.headers as Record<string, string>,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          answer = { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) };
          settle();
        });
      },
    );
    req.on('error', reject);
    req.on('finish', () => {
      written = true;
      settle();
    });
    req.end(body);
  });

describe('startGateway (s3, over a stand-in emulator)', () => {
  let upstream: Server;
  let upstreamPort: number;
  let received: Received[] = [];
  let decisions: GatewayDecision[] = [];
  let gateway: Gateway;
  let otherRegion: Gateway;

  beforeAll(async () => {
    upstream = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks),
        });
        res.writeHead(201, { 'x-emulator': 'yes', etag: '"abc"' });
        res.end('from the emulator');
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    upstreamPort = (upstream.address() as AddressInfo).port;
    const common = {
      service: 's3' as const,
      host: '127.0.0.1',
      port: 0,
      upstream: { host: '127.0.0.1', port: upstreamPort },
      keys: createKeyStore([writer]),
      templateName: identity,
      onDecision: (d: GatewayDecision) => decisions.push(d),
    };
    gateway = await startGateway({ ...common, model: model() });
    otherRegion = await startGateway({
      ...common,
      model: model({ target: { partition: 'aws', region: 'eu-west-1', account } }),
    });
  });
  afterAll(async () => {
    await gateway.close();
    await otherRegion.close();
    await new Promise<void>((resolve) => upstream.close(() => resolve()));
  });
  beforeEach(() => {
    received = [];
    decisions = [];
  });

  const signedPut = async (port: number, key: string, body: string, service = 's3') =>
    signWithSdk(
      service,
      {
        method: 'PUT',
        path: `/landing/${key}`,
        headers: {
          host: `127.0.0.1:${port}`,
          'content-type': 'text/csv',
          'x-amz-content-sha256': createHash('sha256').update(body).digest('hex'),
        },
        body,
      },
      new Date(),
      credentials,
    );

  it('forwards an allowed signed request unchanged and pipes the answer back', async () => {
    const body = 'subject_id,force\n1,PF-1\n';
    const incoming = await signedPut(gateway.port, 'incoming/PF-1/a.csv', body);
    const answer = await send(gateway.port, incoming, body);
    expect(answer.status).toBe(201);
    expect(answer.headers['x-emulator']).toBe('yes');
    expect(answer.headers.etag).toBe('"abc"');
    expect(answer.body.toString()).toBe('from the emulator');
    expect(received).toHaveLength(1);
    const [got] = received as [Received];
    expect(got.method).toBe('PUT');
    expect(got.url).toBe('/landing/incoming/PF-1/a.csv');
    expect(got.body.toString()).toBe(body);
    for (const [name, value] of Object.entries(incoming.headers)) expect(got.headers[name]).toBe(value);
    expect(decisions).toEqual([
      { service: 's3', profile: 'org-PF-1', allowed: true, action: 's3:PutObject' },
    ]);
  });

  it("refuses what the policies do not allow in S3's shape, without reaching the emulator", async () => {
    const incoming = await signedPut(gateway.port, 'incoming/PF-2/a.csv', 'x');
    const answer = await send(gateway.port, incoming, 'x');
    expect(answer.status).toBe(403);
    expect(answer.body.toString()).toContain('<Code>AccessDenied</Code>');
    expect(answer.body.toString()).toContain(
      `User: ${writer.sessionArn} is not authorized to perform: s3:PutObject on resource: arn:aws:s3:::landing/incoming/PF-2/a.csv`,
    );
    expect(received).toEqual([]);
    expect(decisions).toMatchObject([{ allowed: false, profile: 'org-PF-1', action: 's3:PutObject' }]);
  });

  it('refuses an unsigned request', async () => {
    const answer = await send(gateway.port, {
      method: 'GET',
      path: '/landing/incoming/PF-1/a.csv',
      query: '',
      headers: {},
    });
    expect(answer.status).toBe(403);
    expect(answer.body.toString()).toContain('<Code>AccessDenied</Code>');
    expect(received).toEqual([]);
  });

  it('refuses an unknown key and a request whose body was signed with another secret', async () => {
    const unknown = await signWithSdk(
      's3',
      { method: 'GET', path: '/landing/incoming/PF-1/a.csv', headers: { host: `127.0.0.1:${gateway.port}` } },
      new Date(),
      { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' },
    );
    expect((await send(gateway.port, unknown)).body.toString()).toContain('<Code>InvalidAccessKeyId</Code>');
    const forged = await signWithSdk(
      's3',
      { method: 'GET', path: '/landing/incoming/PF-1/a.csv', headers: { host: `127.0.0.1:${gateway.port}` } },
      new Date(),
      { accessKeyId: writer.accessKeyId, secretAccessKey: 'not-the-secret' },
    );
    expect((await send(gateway.port, forged)).body.toString()).toContain(
      '<Code>SignatureDoesNotMatch</Code>',
    );
    expect(received).toEqual([]);
  });

  it('refuses a request signed for another service', async () => {
    const incoming = await signedPut(gateway.port, 'incoming/PF-1/a.csv', 'x', 'sqs');
    const answer = await send(gateway.port, incoming, 'x');
    expect(answer.status).toBe(403);
    expect(answer.body.toString()).toContain('<Code>SignatureDoesNotMatch</Code>');
    expect(answer.body.toString()).toContain('signed for sqs in eu-west-2, not s3 in eu-west-2');
    expect(received).toEqual([]);
  });

  it('refuses a request signed for another region', async () => {
    const incoming = await signedPut(otherRegion.port, 'incoming/PF-1/a.csv', 'x');
    const answer = await send(otherRegion.port, incoming, 'x');
    expect(answer.status).toBe(403);
    expect(answer.body.toString()).toContain('signed for s3 in eu-west-2, not s3 in eu-west-1');
    expect(received).toEqual([]);
  });

  const form = (fields: Record<string, string>, file: Buffer, boundary: string): Buffer =>
    Buffer.concat([
      ...Object.entries(fields).map(([name, value]) =>
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
      ),
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\n`,
      ),
      file,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
  const postForm = (fields: Record<string, string>, file: Buffer, port = gateway.port) => {
    const boundary = '----msht-test-boundary';
    const body = form(fields, file, boundary);
    return send(
      port,
      {
        method: 'POST',
        path: '/landing',
        query: '',
        headers: {
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': String(body.length),
        },
      },
      body,
    ).then((answer) => ({ answer, body }));
  };
  const presigned = (key: string, keyPrefix: string) =>
    presignPost({
      bucket: 'landing',
      region,
      key,
      keyPrefix,
      minBytes: 1,
      maxBytes: 10 * 1024 * 1024,
      expiresInSeconds: 300,
      now: new Date(),
      credentials,
    }).fields;

  it('authorises a POST form by its policy signature and streams it through whole', async () => {
    // Bigger than a socket chunk, so the gateway forwards the form's rest after reading its fields.
    const file = Buffer.alloc(3 * 1024 * 1024, 'subject_id,force\n1,PF-1\n');
    const { answer, body } = await postForm(presigned('incoming/PF-1/a.csv', 'incoming/PF-1/'), file);
    expect(answer.status).toBe(201);
    expect(answer.body.toString()).toBe('from the emulator');
    expect(received).toHaveLength(1);
    const [got] = received as [Received];
    expect(got.method).toBe('POST');
    expect(got.url).toBe('/landing');
    expect(got.body.equals(body)).toBe(true);
    expect(decisions).toEqual([
      { service: 's3', profile: 'org-PF-1', allowed: true, action: 's3:PutObject' },
    ]);
  });

  it('refuses a POST form whose key the signer may not write, and a tampered one', async () => {
    const outside = await postForm(presigned('incoming/PF-2/a.csv', 'incoming/PF-2/'), Buffer.from('x'));
    expect(outside.answer.status).toBe(403);
    expect(outside.answer.body.toString()).toContain(
      'is not authorized to perform: s3:PutObject on resource: arn:aws:s3:::landing/incoming/PF-2/a.csv',
    );
    const fields = presigned('incoming/PF-1/a.csv', 'incoming/PF-1/');
    const tampered = await postForm({ ...fields, key: 'elsewhere/a.csv' }, Buffer.from('x'));
    expect(tampered.answer.status).toBe(403);
    expect(tampered.answer.body.toString()).toContain('Policy Condition failed');
    const unsigned = await postForm({ key: 'incoming/PF-1/a.csv' }, Buffer.from('x'));
    expect(unsigned.answer.status).toBe(403);
    expect(received).toEqual([]);
  });
});

describe('startGateway (s3 POST forms refused early)', () => {
  it('drains the rest of a refused big form, so its connection is free again at once', async () => {
    const gateway = await startGateway({
      service: 's3',
      host: '127.0.0.1',
      port: 0,
      upstream: { host: '127.0.0.1', port: 9 },
      model: model(),
      keys: createKeyStore([writer]),
      templateName: identity,
    });
    const boundary = '----msht-big';
    const fields = presignPost({
      bucket: 'landing',
      region,
      key: 'incoming/PF-2/a.csv',
      keyPrefix: 'incoming/PF-2/',
      minBytes: 1,
      maxBytes: 64 * 1024 * 1024,
      expiresInSeconds: 300,
      now: new Date(),
      credentials,
    }).fields;
    const parts = [
      ...Object.entries(fields).map(
        ([name, value]) =>
          `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
      ),
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n`,
    ];
    const body = Buffer.concat([
      Buffer.from(parts.join('')),
      Buffer.alloc(16 * 1024 * 1024, 'x'),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const answer = await send(
      gateway.port,
      {
        method: 'POST',
        path: '/landing',
        query: '',
        headers: {
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': String(body.length),
        },
      },
      body,
    );
    expect(answer.status).toBe(403);
    // Time for the gateway to read what is left of the form.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = Date.now();
    await gateway.close();
    // Left paused, the connection would hold close() until the server's timeouts (seconds).
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe('startGateway (a service the local stack answers itself)', () => {
  it('passes the authenticated caller and body to the answer, whose refusal decides as the policies say', async () => {
    const seen: { profile: string; body: string; refused: boolean[] }[] = [];
    const gateway = await startGateway({
      service: 'lambda',
      host: '127.0.0.1',
      port: 0,
      model: model(),
      keys: createKeyStore([writer]),
      templateName: identity,
      answer: async ({ caller, body, refusal }) => {
        const allowed = refusal([
          { action: 's3:PutObject', resource: 'arn:aws:s3:::landing/incoming/PF-1/a' },
        ]);
        const refused = refusal([{ action: 'lambda:InvokeFunction', resource: 'arn:aws:lambda:x' }]);
        seen.push({ profile: caller.profile, body: body.toString(), refused: [!!allowed, !!refused] });
        return refused ?? { status: 200, headers: {}, body: 'ok' };
      },
    });
    try {
      const payload = '{"hello":"world"}';
      const incoming = await signWithSdk(
        'lambda',
        {
          method: 'POST',
          path: '/2015-03-31/functions/f/invocations',
          headers: { host: `127.0.0.1:${gateway.port}`, 'content-type': 'application/json' },
          body: payload,
        },
        new Date(),
        credentials,
      );
      const answer = await send(gateway.port, incoming, payload);
      expect(seen).toEqual([{ profile: 'org-PF-1', body: payload, refused: [false, true] }]);
      expect(answer.status).toBe(403);
      expect(answer.headers['x-amzn-errortype']).toBe('AccessDeniedException');
    } finally {
      await gateway.close();
    }
  });
});

describe('startGateway (sqs, JSON protocol, over a stand-in emulator)', () => {
  const queueKey = `arn:aws:kms:${region}:${account}:key/queue-key`;
  const queueArn = (name: string) => `arn:aws:sqs:${region}:${account}:${name}`;
  const sqsModel = model({
    resourcePolicies: new Map([
      [
        queueKey,
        [
          {
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${account}:root` },
            Action: 'kms:*',
            Resource: '*',
          },
        ],
      ],
    ]),
    encryption: {
      buckets: new Map(),
      queues: new Map([['ingest', queueKey]]),
      tables: new Map(),
      secrets: new Map(),
    },
  });
  const sender: Persona = {
    ...writer,
    statements: [
      { Effect: 'Allow', Action: ['sqs:SendMessage', 'sqs:ReceiveMessage'], Resource: queueArn('ingest') },
      { Effect: 'Allow', Action: 'kms:GenerateDataKey', Resource: queueKey },
    ],
  };
  const hour = 3_600_000;
  const session: Persona = {
    ...sender,
    profile: 'session:sender/job',
    accessKeyId: 'ASIA0000000000000001',
    secretAccessKey: 'session-secret',
    sessionToken: 'session-token',
    expiresAt: Date.now() + hour,
  };
  let upstream: Server;
  let received: Received[];
  let clock: Date;
  let gateway: Gateway;

  beforeAll(async () => {
    upstream = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks),
        });
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        res.end('{"MessageId":"m-1"}');
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    gateway = await startGateway({
      service: 'sqs',
      host: '127.0.0.1',
      port: 0,
      upstream: { host: '127.0.0.1', port: (upstream.address() as AddressInfo).port },
      model: sqsModel,
      keys: createKeyStore([sender, session]),
      templateName: identity,
      now: () => clock,
    });
  });
  afterAll(async () => {
    await gateway.close();
    await new Promise<void>((resolve) => upstream.close(() => resolve()));
  });
  beforeEach(() => {
    received = [];
    clock = new Date();
  });

  const signed = (operation: string, queue: string, who: Persona) => {
    const body = JSON.stringify({
      QueueUrl: `https://sqs.${region}.amazonaws.com/${account}/${queue}`,
      MessageBody: 'hello',
    });
    return signWithSdk(
      'sqs',
      {
        method: 'POST',
        path: '/',
        headers: {
          host: `127.0.0.1:${gateway.port}`,
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': `AmazonSQS.${operation}`,
        },
        body,
      },
      clock,
      {
        accessKeyId: who.accessKeyId,
        secretAccessKey: who.secretAccessKey,
        ...(who.sessionToken ? { sessionToken: who.sessionToken } : {}),
      },
    ).then((incoming) => ({ incoming, body }));
  };

  it('forwards an allowed request with its body whole', async () => {
    const { incoming, body } = await signed('SendMessage', 'ingest', sender);
    const answer = await send(gateway.port, incoming, body);
    expect(answer.status).toBe(200);
    expect(answer.body.toString()).toBe('{"MessageId":"m-1"}');
    expect(received.map((r) => [r.method, r.url, r.body.toString()])).toEqual([['POST', '/', body]]);
    expect(received[0]?.headers['x-amz-target']).toBe('AmazonSQS.SendMessage');
  });

  it("refuses a receive whose implied kms:Decrypt the caller lacks, in SQS's JSON shape", async () => {
    const { incoming, body } = await signed('ReceiveMessage', 'ingest', sender);
    const answer = await send(gateway.port, incoming, body);
    expect(answer.status).toBe(403);
    expect(answer.body.toString()).toContain('AccessDenied');
    expect(answer.body.toString()).toContain(`kms:Decrypt on resource: ${queueKey}`);
    expect(received).toEqual([]);
  });

  it('accepts temporary credentials until they expire, then refuses them', async () => {
    const fresh = await signed('SendMessage', 'ingest', session);
    expect((await send(gateway.port, fresh.incoming, fresh.body)).status).toBe(200);
    clock = new Date(Date.now() + 2 * hour);
    const stale = await signed('SendMessage', 'ingest', session);
    const answer = await send(gateway.port, stale.incoming, stale.body);
    expect(answer.status).toBe(403);
    expect(answer.body.toString()).toContain('InvalidClientTokenId');
    expect(received).toHaveLength(1);
  });
});
