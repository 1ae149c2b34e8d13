import { describe, expect, it } from 'vitest';
import { uploadStatusOf } from '../../../schemas/index.ts';
import { createWorld, ORG, type WorldOptions } from './world.ts';

// Ingest and the indexer write an upload's status object (the organisation's view of its ledger entry)
// in an order that never lets a stale status overwrite a later one, and that a retry repairs after a
// crash between the object write and the ledger write.

const KEY = `incoming/${ORG}/2026-10/subjects.csv`;
const GOOD =
  'source_record_ref,source_system,roles,sex\nA-1,NICHE,SUSPECT,F\nA-2,NICHE,SUSPECT,M\nA-3,NICHE,VICTIM,F\n';
/** Two of three rows lack their source system: over the default rejected share, so QUARANTINED. */
const MOSTLY_BAD =
  'source_record_ref,source_system,roles,sex\nB-1,,SUSPECT,F\nB-2,,SUSPECT,M\nB-3,NICHE,VICTIM,F\n';
const BINARY = '\u0000\u0001\u0002PK\u0003\u0004';

/** Ingests `body` at KEY and runs the indexer on what it queued; the upload's ledger entry and status object. */
const run = async (body: string, options: WorldOptions = {}) => {
  const world = createWorld(options);
  const result = await world.ingest(world.put(KEY, body));
  await world.index();
  const uploadId = result?.uploadId ?? '';
  return {
    world,
    entry: await world.ledger.get(uploadId),
    object: world.statusObject(ORG, uploadId),
    history: world.statusHistory.get(uploadId) ?? [],
  };
};

describe('upload status objects', () => {
  it('are written for every status, each before the ledger moves to it; INDEXED only after it did', async () => {
    // Act
    const { world, entry, object } = await run(GOOD);

    // Assess
    expect(world.log).toEqual([
      'ledger:begin:RECEIVED',
      'status:RECEIVED',
      'status:PROCESSING',
      'ledger:update:PROCESSING',
      'ledger:update:-', // the content hash and size
      'status:QUEUED',
      'ledger:complete:QUEUED',
      'ledger:recordIndexed:0',
      'progress', // chunk 0 did not finish the upload: how far indexing has got
      'ledger:recordIndexed:1',
      'ledger:finishIfIndexed:INDEXED',
      'status:INDEXED',
    ]);
    expect(entry?.status).toBe('INDEXED');
    expect(object).toEqual(uploadStatusOf(entry as never));
    expect(object?.counts).toEqual({ rows: 3, accepted: 3, warnings: 0, rejected: 0, indexed: 3 });
  });

  it.each([
    ['FAILED', BINARY],
    ['QUARANTINED', MOSTLY_BAD],
  ])('end %s with the status object written before the ledger', async (status, body) => {
    // Act
    const { world, entry, object } = await run(body);

    // Assess
    expect(entry?.status).toBe(status);
    expect(object).toEqual(uploadStatusOf(entry as never));
    expect(object?.failure?.code).toBeTruthy();
    expect(world.log.indexOf(`status:${status}`)).toBe(world.log.indexOf(`ledger:update:${status}`) - 1);
  });

  it('end DUPLICATE for the same content uploaded again, pointing at the first upload', async () => {
    // Prepare
    const world = createWorld();
    const first = await world.ingest(world.put(KEY, GOOD));
    await world.index();

    // Act
    const again = await world.ingest(world.put(`incoming/${ORG}/2026-10/subjects-again.csv`, GOOD));

    // Assess
    const object = world.statusObject(ORG, again?.uploadId ?? '');
    expect(object).toMatchObject({ status: 'DUPLICATE', duplicateOf: first?.uploadId });
    expect(world.log.slice(-2)).toEqual(['status:DUPLICATE', 'ledger:update:DUPLICATE']);
  });

  it('never let a QUEUED object overwrite INDEXED, even when the indexer finishes right after the ledger is QUEUED', async () => {
    // Prepare: the indexer runs between ingest's QUEUED ledger write and its own finishIfIndexed.
    const queuedAt = (await run(GOOD)).world.log.indexOf('ledger:complete:QUEUED') + 1;

    // Act
    const { world, entry, object, history } = await run(GOOD, { indexAfter: queuedAt });

    // Assess
    expect(world.log.slice(queuedAt - 2)).toEqual([
      'status:QUEUED',
      'ledger:complete:QUEUED',
      'ledger:recordIndexed:0',
      'progress',
      'ledger:recordIndexed:1',
      'ledger:finishIfIndexed:INDEXED',
      'status:INDEXED',
    ]);
    expect(history.at(-1)).toBe('INDEXED');
    expect(object).toEqual(uploadStatusOf(entry as never));
  });

  it('finish an upload the indexer counted before ingest died between its QUEUED and its finishIfIndexed', async () => {
    // Prepare: the indexer counts every message between ingest's QUEUED object and its QUEUED ledger
    // write; ingest then dies before its own finishIfIndexed, so nobody else would set INDEXED.
    const indexAfter = (await run(GOOD)).world.log.indexOf('status:QUEUED') + 1;
    const log = (await run(GOOD, { indexAfter })).world.log;
    const complete = log.indexOf('ledger:complete:QUEUED') + 1;

    // Act
    const { world, entry, object } = await run(GOOD, {
      indexAfter,
      fault: { at: complete + 1, when: 'before' },
    });

    // Assess: the repeated S3 event finishes it.
    expect(world.log.slice(-3)).toEqual([
      'ledger:complete:QUEUED',
      'ledger:finishIfIndexed:INDEXED',
      'status:INDEXED',
    ]);
    expect(entry?.status).toBe('INDEXED');
    expect(object).toEqual(uploadStatusOf(entry as never));
  });

  it.each([
    ['before', 'ledger:complete:QUEUED'],
    ['after', 'status:QUEUED'],
    ['after', 'ledger:complete:QUEUED'],
    ['after', 'ledger:finishIfIndexed:INDEXED'],
    ['after', 'ledger:recordIndexed:1'],
    ['after', 'ledger:update:PROCESSING'],
    ['after', 'ledger:begin:RECEIVED'],
  ] as const)('are repaired by the retry after a crash %s %s', async (when, what) => {
    // Prepare
    const at = (await run(GOOD)).world.log.indexOf(what) + 1;

    // Act
    const { entry, object, history } = await run(GOOD, { fault: { at, when } });

    // Assess
    expect(entry?.status).toBe('INDEXED');
    expect(object).toEqual(uploadStatusOf(entry as never));
    expect(history.slice(history.indexOf('INDEXED'))).not.toContain('QUEUED');
  });
});
