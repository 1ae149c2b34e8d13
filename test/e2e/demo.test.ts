import { createHash, createHmac } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { runDemo } from '../../cli/demo/run-demo.ts';
import { createDynamoFeedLog } from '../../functions/feed/feed-log.ts';
import { readFeed } from '../../functions/feed/read-feed.ts';
import { createLocalClients, destroyLocalClients } from '../../infra/local/clients.ts';
import { LOCAL_REGION, startLocalStack } from '../../infra/local/local-stack.ts';
import { DEFAULT_DISCLOSURE_POLICY } from '../../schemas/aggregate/disclosure-policy.ts';
import { NationalPictureSchema } from '../../schemas/aggregate/national.ts';
import { type FeedChange, PseudonymKeySecretSchema } from '../../schemas/index.ts';

import { attack } from '../support/attacker.ts';

const MONTHS = ['2026-09', '2026-10'] as const;
let dataDir = '';

describe('npm start (msht demo)', () => {
  it('runs the main job end to end on the local stack and reconciles every upload', async () => {
    // Prepare
    const lines: string[] = [];
    dataDir = await mkdtemp(join(tmpdir(), 'msht-e2e-'));
    // Act
    const code = await runDemo({
      dataDir,
      seed: 7,
      rowsPerFile: 30,
      orgs: ['PF-E23000001', 'NA-NCA'],
      months: [...MONTHS],
      timeoutMs: 120_000,
      logLevel: 'ERROR',
      out: (text) => lines.push(...text.split('\n')),
    });
    // Assess
    const output = lines.join('\n');
    expect(code, output).toBe(0);
    expect(output).toContain('Every upload reconciles');
    const table = lines.filter((line) => /^(PF-E23000001|NA-NCA)\s/.test(line));
    expect(table).toHaveLength(16);
    for (const row of table) expect(row).toMatch(/INDEXED .* yes$/);
    const total = lines.find((line) => line.startsWith('Total:'));
    expect(total).toMatch(/^Total: 16 uploads, 480 rows = (\d+) accepted \+ (\d+) rejected; \1 indexed$/);
    // A determined analyst with both months' shareable publications narrows no suppressed value below
    // the protection interval; the truth (internal tier) is always inside what the analyst derives.
    const read = async (month: string, tier: string) =>
      NationalPictureSchema.parse(
        JSON.parse(await readFile(join(dataDir, 'reports', month, `national-${tier}.json`), 'utf8')),
      );
    const publications = await Promise.all(
      MONTHS.map(async (month) => ({
        doc: await read(month, 'shareable'),
        truth: await read(month, 'internal'),
      })),
    );
    const findings = await attack(publications, { policy: DEFAULT_DISCLOSURE_POLICY });
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) {
      if (f.truth !== undefined) expect(f.truth).toBeGreaterThanOrEqual(f.lower);
      if (f.truth !== undefined) expect(f.truth).toBeLessThanOrEqual(f.upper);
    }
    expect(findings.filter((f) => f.width < DEFAULT_DISCLOSURE_POLICY.minimumWidth)).toEqual([]);
  }, 420_000);

  it('publishes a feed with no reference anyone can recompute from the source records without the key', async () => {
    // Prepare: the demo's data folder again (the same pseudonym key), no function running.
    expect(dataDir).not.toBe('');
    const noop = async () => ({ batchItemFailures: [] });
    const stack = await startLocalStack({
      dataDir,
      handlers: { ingest: noop, indexer: noop },
      log: () => {},
    });
    const clients = createLocalClients(stack.endpoints, LOCAL_REGION, stack.iam.credentials('admin'));
    const db = DynamoDBDocumentClient.from(clients.dynamodb);
    let changes: FeedChange[] = [];
    let markers: Record<string, string>[] = [];
    try {
      const log = createDynamoFeedLog(db, stack.resources.tables.feed, () => new Date().toISOString());
      for (let after = 0; ; ) {
        const page = await readFeed(log, { after, limit: 500 });
        changes = [...changes, ...page.changes];
        if (page.cursor === after || page.cursor >= page.head) break;
        after = page.cursor;
      }
      for (let start: Record<string, unknown> | undefined, first = true; first || start; first = false) {
        const page = await db.send(
          new ScanCommand({ TableName: stack.resources.tables.markers, ExclusiveStartKey: start }),
        );
        // Record heads (itemType RECORD) carry no draft; markers carry their source references.
        markers = [
          ...markers,
          ...((page.Items ?? []) as Record<string, string>[]).filter((i) => i.itemType === 'MARKER'),
        ];
        start = page.LastEvaluatedKey;
      }
    } finally {
      destroyLocalClients(clients);
      await stack.stop();
    }
    const secret = PseudonymKeySecretSchema.parse(
      JSON.parse(
        JSON.parse(
          await readFile(
            join(dataDir, 'aws', 'secrets', `${stack.settings.pseudonyms.secretName}.json`),
            'utf8',
          ),
        ).secretString,
      ),
    );

    // Act: every form of every source record's references an attacker could compute without the key.
    const sha = (text: string) => createHash('sha256').update(text).digest('hex');
    const hmac = (key: Buffer, text: string) => createHmac('sha256', key).update(text).digest('hex');
    const guessKeys = [Buffer.alloc(0), Buffer.alloc(32), Buffer.from('msht'), Buffer.from('key')];
    const guesses = new Set<string>();
    const withKey = new Set<string>();
    for (const m of markers) {
      const record = `${m.sourceOrg}|${m.sourceSystem}|${m.sourceRecordRef}`;
      const messages = [
        record,
        `${record}|${m.markerType}`,
        `ref|${record}`,
        `record|${record}`,
        `marker|${record}|${m.markerType}`,
      ];
      for (const text of messages) {
        for (const digest of [sha(text), ...guessKeys.map((k) => hmac(k, text))])
          for (const form of [digest, digest.slice(0, 32)]) guesses.add(form);
        const keyed = hmac(Buffer.from(secret.key, 'hex'), text);
        withKey.add(keyed).add(keyed.slice(0, 32));
      }
    }
    const published = changes.flatMap((c) =>
      [...JSON.stringify(c).matchAll(/[0-9a-f]{32,64}/g)].map((m) => m[0]),
    );
    const refs = changes.flatMap((c) => [c.subjectRef, c.naturalKey]);

    // Assess
    expect(markers.length).toBeGreaterThan(10);
    expect(changes.length).toBeGreaterThanOrEqual(markers.length);
    for (const ref of refs) expect(ref).toMatch(/^k1_[0-9a-f]{32}([0-9a-f]{32})?$/);
    expect(published.filter((hex) => guesses.has(hex) || guesses.has(hex.slice(0, 32)))).toEqual([]);
    // With the key they are exactly what the pipeline computed: the test looks at the right values.
    for (const ref of refs) expect(withKey.has(ref.slice(3))).toBe(true);
  }, 120_000);
});
