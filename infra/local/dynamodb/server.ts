import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { crc32 } from 'node:zlib';
import type { EmulatorContext, Json } from './emulator-context.ts';
import { DynamoDbError, internalError, serializationError, unknownOperation, unsupported } from './errors.ts';
import { KNOWN_UNSUPPORTED, OPERATIONS } from './operations.ts';

const TARGET_PREFIX = 'DynamoDB_20120810.';
const CONTENT_TYPE = 'application/x-amz-json-1.0';
/** DynamoDB refuses request bodies over 16 MB. */
const MAX_BODY = 16 * 1024 * 1024;

/** Answers one parsed request: the operation's response body, or the error DynamoDB would give. */
export const answer = (
  context: EmulatorContext,
  target: string | undefined,
  body: string,
): { status: number; body: Json } => {
  try {
    if (!target?.startsWith(TARGET_PREFIX)) throw unknownOperation();
    const name = target.slice(TARGET_PREFIX.length);
    const operation = OPERATIONS[name];
    if (!operation)
      throw KNOWN_UNSUPPORTED.has(name) ? unsupported(`The ${name} operation`) : unknownOperation();
    let request: unknown;
    try {
      request = body === '' ? {} : JSON.parse(body);
    } catch {
      throw serializationError('Start of structure or map found where not expected');
    }
    if (typeof request !== 'object' || request === null || Array.isArray(request))
      throw serializationError('Start of structure or map found where not expected');
    return { status: 200, body: operation(context, request as Json) };
  } catch (err) {
    const error =
      err instanceof DynamoDbError ? err : internalError(err instanceof Error ? err.message : String(err));
    return { status: error.status, body: error.body() };
  }
};

const send = (res: ServerResponse, status: number, body: Json): void => {
  const text = Buffer.from(JSON.stringify(body), 'utf8');
  res.writeHead(status, {
    'content-type': CONTENT_TYPE,
    'content-length': text.length,
    'x-amzn-requestid': randomUUID(),
    'x-amz-crc32': String(crc32(text)),
  });
  res.end(text);
};

/** The HTTP server speaking DynamoDB's JSON 1.0 protocol (POST /, `X-Amz-Target: DynamoDB_20120810.<Op>`). */
export const createDynamoDbServer = (context: EmulatorContext): Server =>
  createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY) {
        send(res, 413, {
          __type: 'com.amazon.coral.service#RequestEntityTooLargeException',
          message: 'Request entity too large',
        });
        return;
      }
      const header = req.headers['x-amz-target'];
      const result = answer(
        context,
        Array.isArray(header) ? header[0] : header,
        Buffer.concat(chunks).toString('utf8'),
      );
      send(res, result.status, result.body);
    });
  });
