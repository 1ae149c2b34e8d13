import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { authorize } from './authorize.ts';
import { dynamodbAuthorizationRequests } from './dynamodb-requests.ts';
import { accessDenied, authFailure } from './error-responses.ts';
import type { IamModel } from './iam-model.ts';
import type { KeyStore } from './key-store.ts';
import { impliedKmsRequests } from './kms-implied.ts';
import type { Persona } from './personas.ts';
import { type PolicyViolation, verifyPostPolicy } from './post-policy.ts';
import type { AuthFailure, AuthorizationRequest, IncomingRequest } from './request-types.ts';
import { parseS3Path, s3AuthorizationRequests, s3PostObjectRequests } from './s3-requests.ts';
import { s3PayloadHash, verifySignedRequest } from './sigv4.ts';
import { sqsAuthorizationRequests } from './sqs-requests.ts';

/**
 * The services the gateway stands in front of (STS, Lambda and Secrets Manager have no emulator behind
 * them: the local stack answers).
 */
export type GatewayService = 's3' | 'sqs' | 'dynamodb' | 'sts' | 'lambda' | 'secretsmanager';

/** A response the gateway makes itself (a refusal, or STS's answer). */
export type GatewayResponse = {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
};

/** What the gateway tells about each request it decided: for the persona tests and the debug log. */
export type GatewayDecision = {
  readonly service: GatewayService;
  readonly profile?: string;
  readonly allowed: boolean;
  readonly action?: string;
  readonly resource?: string;
  readonly reason?: string;
};

export type GatewayOptions = {
  readonly service: GatewayService;
  readonly host: string;
  readonly port: number;
  /** The emulator the allowed requests go on to; none for STS. */
  readonly upstream?: { readonly host: string; readonly port: number };
  readonly model: IamModel;
  readonly keys: KeyStore;
  /** Local resource names to the names the template gives them (buckets carry `-{account}-{region}` on AWS). */
  readonly templateName: (arn: string) => string;
  /** The answer of a service the local stack plays itself (STS, Lambda, Secrets Manager) to an authenticated request. */
  readonly answer?: (request: AnsweredRequest) => Promise<GatewayResponse>;
  readonly onDecision?: (decision: GatewayDecision) => void;
  readonly now?: () => Date;
};

export type Gateway = { readonly port: number; readonly close: () => Promise<void> };

/** An authenticated request to a service the local stack answers itself, with the means to authorise it. */
export type AnsweredRequest = {
  readonly caller: Persona;
  readonly incoming: IncomingRequest;
  readonly body: Buffer;
  /** Undefined when every request is allowed; otherwise the refusal to send. */
  readonly refusal: (requests: readonly AuthorizationRequest[]) => GatewayResponse | undefined;
};

/** Bodies the gateway reads whole (JSON and query protocols); S3 object bodies stream through. */
const MAX_BUFFERED_BODY = 32 * 1024 * 1024;
/** A POST form's fields come before its file; they are read up to this much. */
const MAX_FORM_PREFIX = 1024 * 1024;

/**
 * The transport stands in for TLS: requests reach the emulators on loopback only, so the policies'
 * TLS conditions (`aws:SecureTransport`, `s3:TlsVersion`) see what a client of AWS would send.
 */
const TRANSPORT_CONTEXT = { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.3' } as const;

const errorService = (service: GatewayService, headers: IncomingRequest['headers']) =>
  service === 'sqs' ? (headers['x-amz-target'] ? 'sqs-json' : 'sqs-query') : service;

const incomingOf = (req: IncomingMessage): IncomingRequest => {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers))
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  return {
    method: req.method ?? 'GET',
    path: q === -1 ? url : url.slice(0, q),
    query: q === -1 ? '' : url.slice(q + 1),
    headers,
  };
};

const readBody = async (req: IncomingMessage, limit: number): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error(`request body over ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
};

/** Reads a multipart form up to the headers of its `file` part: the fields, the file name and the bytes read. */
const readFormPrefix = (
  req: IncomingMessage,
  boundary: string,
): Promise<{ fields: Record<string, string>; fileName: string; prefix: Buffer }> =>
  new Promise((resolve, reject) => {
    // Not `for await`: leaving that loop early would destroy the stream, whose rest goes on to S3.
    let prefix = Buffer.alloc(0);
    const fileHeader =
      /content-disposition:\s*form-data;\s*name="file"(?:;\s*filename="([^"]*)")?[^\r\n]*\r\n(?:[^\r\n]+\r\n)*\r\n/i;
    const done = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', reject);
    };
    const onEnd = (): void => {
      done();
      reject(new Error('the form has no file part after its fields'));
    };
    const onData = (chunk: Buffer): void => {
      prefix = Buffer.concat([prefix, chunk]);
      const text = prefix.toString('latin1');
      const match = fileHeader.exec(text);
      if (match) {
        req.pause();
        done();
        const fields: Record<string, string> = {};
        for (const part of text.slice(0, match.index).split(`--${boundary}`)) {
          const m =
            /content-disposition:\s*form-data;\s*name="([^"]+)"[^\r\n]*\r\n(?:[^\r\n]+\r\n)*\r\n([\s\S]*)\r\n$/i.exec(
              part,
            );
          if (m)
            fields[(m[1] as string).toLowerCase()] = Buffer.from(m[2] as string, 'latin1').toString('utf8');
        }
        resolve({ fields, fileName: match[1] ?? '', prefix });
      } else if (prefix.length > MAX_FORM_PREFIX) {
        done();
        reject(new Error(`the form's fields are over ${MAX_FORM_PREFIX} bytes`));
      }
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', reject);
  });

const send = (res: ServerResponse, response: GatewayResponse): void => {
  res.writeHead(response.status, { ...response.headers, 'content-length': Buffer.byteLength(response.body) });
  res.end(response.body);
};

/**
 * Decides the authorisation requests one by one (each with the KMS calls it implies), as AWS would
 * for the persona; the first refusal is the answer.
 */
export const decide = (
  options: Pick<GatewayOptions, 'model' | 'templateName'>,
  persona: Persona,
  requests: readonly AuthorizationRequest[],
  flags: { readonly multipart?: boolean } = {},
): { allowed: true } | { allowed: false; request: AuthorizationRequest; reason: string } => {
  const principal = {
    arn: persona.roleArn,
    account: options.model.target.account,
    statements: persona.statements,
    ...(persona.sessionStatements ? { sessionStatements: persona.sessionStatements } : {}),
  };
  for (const original of requests) {
    const request: AuthorizationRequest = {
      ...original,
      resource: options.templateName(original.resource),
      context: { ...TRANSPORT_CONTEXT, ...original.context },
    };
    for (const r of [request, ...impliedKmsRequests(options.model, request, flags)]) {
      const result = authorize(options.model, principal, r);
      if (result.decision !== 'Allow')
        return { allowed: false, request: r === request ? original : r, reason: result.reason };
    }
  }
  return { allowed: true };
};

/**
 * An HTTP front for one emulator that does what AWS does before a request reaches the service:
 * authenticates it by its SigV4 signature (or, for an S3 POST form, the policy's signature), then
 * authorises every action it needs against the IAM policies of the persona its key stands for, the
 * resource's policy and the key policies of the KMS keys involved. Refused requests get AWS's error
 * shapes; allowed ones go on to the emulator unchanged (S3 bodies stream through).
 */
export const startGateway = async (options: GatewayOptions): Promise<Gateway> => {
  const { service, model, keys } = options;
  const now = options.now ?? (() => new Date());
  const target = { account: model.target.account, region: model.target.region };
  const lookup = (accessKeyId: string) => keys.get(accessKeyId, now().getTime());

  const refuse = (
    res: ServerResponse,
    incoming: IncomingRequest,
    failure: AuthFailure | PolicyViolation,
  ): void => {
    options.onDecision?.({ service, allowed: false, reason: failure.message });
    send(res, authFailure(errorService(service, incoming.headers), failure));
  };

  const forward = (req: IncomingMessage, res: ServerResponse, prefix?: Buffer, whole?: Buffer): void => {
    const upstream = options.upstream;
    if (!upstream) throw new Error(`no emulator behind the ${service} gateway`);
    const out = httpRequest(
      { host: upstream.host, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', (err) => {
      if (!res.headersSent)
        send(res, { status: 502, headers: {}, body: `local ${service} emulator: ${err.message}` });
      else res.destroy(err);
    });
    if (whole) {
      out.end(whole);
      return;
    }
    if (prefix) out.write(prefix);
    req.pipe(out);
    req.resume();
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const incoming = incomingOf(req);
    const contentType = incoming.headers['content-type'] ?? '';
    const s3Path = service === 's3' ? parseS3Path(incoming.path) : undefined;
    const isForm =
      s3Path !== undefined &&
      incoming.method === 'POST' &&
      contentType.startsWith('multipart/form-data') &&
      s3Path.key === undefined;

    if (isForm) {
      const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
      const { fields, fileName, prefix } = await readFormPrefix(
        req,
        (boundary?.[1] ?? boundary?.[2] ?? '').trim(),
      );
      const bucket = s3Path.bucket ?? '';
      // readFormPrefix left the form paused: a refused one's rest is read and dropped, or its connection
      // would stay busy (and close() wait) until the server's timeouts.
      const discard = (): void => {
        req.resume();
      };
      const auth = verifyPostPolicy(fields, bucket, lookup, now());
      if (!auth.ok) {
        discard();
        return refuse(res, incoming, auth);
      }
      const persona = lookup(auth.accessKeyId) as Persona;
      const refused = refusal(incoming, persona, s3PostObjectRequests(bucket, fields, target, fileName));
      if (refused) {
        discard();
        return send(res, refused);
      }
      return forward(req, res, prefix);
    }

    const streams = service === 's3';
    const body = streams ? undefined : await readBody(req, MAX_BUFFERED_BODY);
    // S3 signs the hash its client declares (x-amz-content-sha256); the body is not re-hashed here:
    // on loopback nothing stands between the client and the gateway to change it.
    const auth = verifySignedRequest(incoming, body ? { body } : s3PayloadHash(incoming), lookup, now());
    if (!auth.ok) return refuse(res, incoming, auth);
    if (auth.service !== service || auth.region !== model.target.region)
      return refuse(res, incoming, {
        ok: false,
        code: 'SignatureDoesNotMatch',
        message: `The request is signed for ${auth.service} in ${auth.region}, not ${service} in ${model.target.region}`,
      });
    const persona = lookup(auth.accessKeyId) as Persona;
    if (options.answer) {
      const answer = await options.answer({
        caller: persona,
        incoming,
        body: body ?? Buffer.alloc(0),
        refusal: (requests) => refusal(incoming, persona, requests),
      });
      return send(res, answer);
    }
    const requests =
      service === 's3'
        ? s3AuthorizationRequests(incoming, target)
        : service === 'sqs'
          ? sqsAuthorizationRequests(incoming, body ?? Buffer.alloc(0), target)
          : dynamodbAuthorizationRequests(incoming, body ?? Buffer.alloc(0), target);
    const query = new URLSearchParams(incoming.query);
    const multipart = query.has('uploadId') || query.has('uploads');
    const refused = refusal(incoming, persona, requests, { multipart });
    if (refused) return send(res, refused);
    return forward(req, res, undefined, body);
  };

  /** Decides the requests for the persona and reports the decision: the refusal to send, or undefined. */
  const refusal = (
    incoming: IncomingRequest,
    persona: Persona,
    requests: readonly AuthorizationRequest[],
    flags: { readonly multipart?: boolean } = {},
  ): GatewayResponse | undefined => {
    const verdict = decide(options, persona, requests, flags);
    if (verdict.allowed) {
      options.onDecision?.({ service, profile: persona.profile, allowed: true, action: requests[0]?.action });
      return undefined;
    }
    options.onDecision?.({
      service,
      profile: persona.profile,
      allowed: false,
      action: verdict.request.action,
      resource: verdict.request.resource,
      reason: verdict.reason,
    });
    return accessDenied(errorService(service, incoming.headers), {
      principalArn: persona.sessionArn,
      action: verdict.request.action,
      resource: verdict.request.resource,
      reason: verdict.reason,
    });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      if (!res.headersSent)
        send(res, {
          status: 400,
          headers: { 'content-type': 'text/plain' },
          body: `Bad request: ${message}`,
        });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void =>
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(
              `Cannot start the local ${service} endpoint: port ${options.port} on ${options.host} is in use`,
              { cause: err },
            )
          : err,
      );
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeIdleConnections();
      }),
  };
};
