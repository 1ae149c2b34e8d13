import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalClients, destroyLocalClients, type LocalClients } from '../../infra/local/clients.ts';
import { LOCAL_REGION, type LocalStack, startLocalStack } from '../../infra/local/local-stack.ts';

// S3 is strongly consistent: while an object is replaced again and again, every GET reads one whole
// version, never a part (a client polling a status object that is being rewritten must not get half).
let stack: LocalStack;
let clients: LocalClients;
const noop = async () => ({ batchItemFailures: [] });

beforeAll(async () => {
  stack = await startLocalStack({
    handlers: { ingest: noop, indexer: noop },
    applyEnv: false,
    log: () => undefined,
  });
  clients = createLocalClients(stack.endpoints, LOCAL_REGION, stack.iam.credentials('admin'));
}, 60_000);

afterAll(async () => {
  destroyLocalClients(clients);
  await stack?.stop();
});

describe('the local S3 under concurrent writes of one key', () => {
  it('answers every GET with one whole version', async () => {
    const Bucket = stack.resources.bucket;
    const Key = 'reports/PF-E23000001/uploads/u-race.json';
    // Versions large enough that writing one takes several chunks.
    const version = (n: number) => JSON.stringify({ n, pad: String(n % 10).repeat(400_000) });
    const versions = new Set(Array.from({ length: 12 }, (_, n) => version(n)));
    await clients.s3.send(new PutObjectCommand({ Bucket, Key, Body: version(0) }));
    const writes = (async () => {
      for (let n = 1; n < 12; n++)
        await clients.s3.send(new PutObjectCommand({ Bucket, Key, Body: version(n) }));
    })();
    const reads: string[] = [];
    let writing = true;
    void writes.finally(() => {
      writing = false;
    });
    while (writing || reads.length < 5) {
      const res = await clients.s3.send(new GetObjectCommand({ Bucket, Key }));
      reads.push(await (res.Body as { transformToString(): Promise<string> }).transformToString());
    }
    await writes;
    expect(reads.length).toBeGreaterThan(4);
    for (const body of reads)
      expect(versions.has(body), `a partial read of ${body.length} characters`).toBe(true);
    const last = await clients.s3.send(new GetObjectCommand({ Bucket, Key }));
    expect(await (last.Body as { transformToString(): Promise<string> }).transformToString()).toBe(
      version(11),
    );
  });
});
