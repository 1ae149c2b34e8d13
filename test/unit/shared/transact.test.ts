import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fitsOneTransaction,
  packWave,
  TRANSACT_MAX_ACTIONS,
  type TransactGroup,
  TransactionFailedError,
  transactWriteGroups,
} from '../../../functions/shared/aws/transact.ts';

const put = (key: string, size = 0): TransactGroup['actions'][number] => ({
  key,
  action: { Put: { TableName: 't', Item: { naturalKey: key, pad: 'x'.repeat(size) } } },
});
const group = (...keys: string[]): TransactGroup => ({ actions: keys.map((k) => put(k)) });

type Sent = { keys: string[] };
/** A client whose TransactWriteItems fails (cancelled, with a reason per action) where `refuse` says. */
const fakeClient = (refuse: (key: string) => string | undefined, sent: Sent[]) =>
  ({
    send: async (command: { input: { TransactItems: { Put: { Item: { naturalKey: string } } }[] } }) => {
      const keys = command.input.TransactItems.map((a) => a.Put.Item.naturalKey);
      sent.push({ keys });
      const reasons = keys.map((k) => ({ Code: refuse(k) ?? 'None' }));
      if (reasons.every((r) => r.Code === 'None')) return {};
      throw Object.assign(new Error('cancelled'), {
        name: 'TransactionCanceledException',
        CancellationReasons: reasons,
      });
    },
  }) as unknown as DynamoDBDocumentClient;

describe('packWave', () => {
  it('places every group once, whole, within the limits, and no item twice in a wave', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: 40 }), {
          maxLength: 30,
        }),
        (keyLists) => {
          const groups = keyLists.map((ks) => group(...[...new Set(ks)].map((k) => `k${k}`)));
          const indices = groups.map((_, i) => i);
          const { batches, deferred } = packWave(groups, indices);
          expect([...batches.flat(), ...deferred].sort((a, b) => a - b)).toEqual(indices);
          const inWave = batches
            .flat()
            .flatMap((i) => (groups[i] as TransactGroup).actions.map((a) => a.key));
          expect(new Set(inWave).size).toBe(inWave.length);
          for (const batch of batches) {
            const actions = batch.reduce((n, i) => n + (groups[i] as TransactGroup).actions.length, 0);
            expect(actions).toBeLessThanOrEqual(TRANSACT_MAX_ACTIONS);
          }
          // A group is deferred only when an item of it is already in the wave.
          for (const i of deferred)
            expect((groups[i] as TransactGroup).actions.some((a) => inWave.includes(a.key))).toBe(true);
        },
      ),
    );
  });
});

describe('fitsOneTransaction', () => {
  it('refuses an empty group, over 100 actions, an item twice, or over the size limit', () => {
    expect(fitsOneTransaction(group('a', 'b'))).toBe(true);
    expect(fitsOneTransaction(group())).toBe(false);
    expect(fitsOneTransaction(group(...Array.from({ length: 101 }, (_, i) => `k${i}`)))).toBe(false);
    expect(fitsOneTransaction(group('a', 'a'))).toBe(false);
    expect(fitsOneTransaction({ actions: [put('a', 3_600_000)] })).toBe(false);
  });
});

describe('transactWriteGroups', () => {
  it('writes many groups a request and reports each written', async () => {
    const sent: Sent[] = [];
    const groups = Array.from({ length: 120 }, (_, i) => group(`m${i}`, `h${i}`));
    const written = await transactWriteGroups(
      fakeClient(() => undefined, sent),
      groups,
    );
    expect(written).toEqual(groups.map(() => true));
    expect(sent.length).toBe(3); // 240 actions, 100 a request, whole groups only
    expect(sent.flatMap((s) => s.keys).length).toBe(240);
  });

  it('a cancelled transaction: the groups whose own conditions failed are not written, the others are sent again', async () => {
    const sent: Sent[] = [];
    const groups = [group('a1', 'a2'), group('b1', 'b2'), group('c1')];
    const written = await transactWriteGroups(
      fakeClient((k) => (k === 'b2' ? 'ConditionalCheckFailed' : undefined), sent),
      groups,
    );
    expect(written).toEqual([true, false, true]);
    expect(sent.map((s) => s.keys)).toEqual([
      ['a1', 'a2', 'b1', 'b2', 'c1'],
      ['a1', 'a2', 'c1'],
    ]);
  });

  it('a conflict or throttling leaves the group unwritten for the caller to plan again', async () => {
    for (const code of ['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded']) {
      const written = await transactWriteGroups(
        fakeClient((k) => (k === 'a' ? code : undefined), []),
        [group('a')],
      );
      expect(written).toEqual([false]);
    }
  });

  it('groups that touch one item go in successive waves, never in two transactions at once', async () => {
    const sent: Sent[] = [];
    const groups = [group('x', 'a'), group('x', 'b'), group('c')];
    const written = await transactWriteGroups(
      fakeClient(() => undefined, sent),
      groups,
    );
    expect(written).toEqual([true, true, true]);
    expect(sent.map((s) => s.keys)).toEqual([
      ['x', 'a', 'c'],
      ['x', 'b'],
    ]);
  });

  it('a cancellation no replanning can fix throws, naming the reason', async () => {
    await expect(
      transactWriteGroups(
        fakeClient((k) => (k === 'a' ? 'ValidationError' : undefined), []),
        [group('a')],
      ),
    ).rejects.toThrow(TransactionFailedError);
  });

  it('an innocent group is sent again at most a few times, then left for the caller', async () => {
    const sent: Sent[] = [];
    let calls = 0;
    const client = {
      send: async (command: { input: { TransactItems: unknown[] } }) => {
        calls++;
        sent.push({ keys: [] });
        throw Object.assign(new Error('cancelled'), {
          name: 'TransactionCanceledException',
          CancellationReasons: command.input.TransactItems.map(() => ({ Code: 'None' })),
        });
      },
    } as unknown as DynamoDBDocumentClient;
    expect(await transactWriteGroups(client, [group('a')])).toEqual([false]);
    expect(calls).toBe(4);
  });
});
