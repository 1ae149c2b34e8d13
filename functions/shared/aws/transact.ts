import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';

/** One action of a TransactWriteItems request (a conditional Put, Update, Delete or ConditionCheck). */
export type TransactAction = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * Actions that must be written together or not at all (one record's writes, say). `key` names each
 * action's item (`table|key`), since one transaction may not touch an item twice.
 */
export type TransactGroup = {
  readonly actions: readonly { readonly key: string; readonly action: TransactAction }[];
};

/** DynamoDB's limits of one TransactWriteItems request: 100 actions, 4 MB in all (3.5 MB leaves room). */
export const TRANSACT_MAX_ACTIONS = 100;
export const TRANSACT_MAX_BYTES = 3_500_000;

/** JSON sizes of actions, measured once: both the fit check and the packing need them. */
const sizes = new WeakMap<TransactAction, number>();

/** The JSON size of an action, as an estimate of its share of the 4 MB request limit. */
const sizeOf = (action: TransactAction): number => {
  let size = sizes.get(action);
  if (size === undefined) {
    size = Buffer.byteLength(JSON.stringify(action));
    sizes.set(action, size);
  }
  return size;
};

/** Whether a group fits in one transaction at all: 1 to 100 actions, under the size limit, no item twice. */
export const fitsOneTransaction = (group: TransactGroup): boolean => {
  const keys = new Set(group.actions.map((a) => a.key));
  return (
    group.actions.length > 0 &&
    group.actions.length <= TRANSACT_MAX_ACTIONS &&
    keys.size === group.actions.length &&
    group.actions.reduce((n, a) => n + sizeOf(a.action), 0) <= TRANSACT_MAX_BYTES
  );
};

/**
 * Packs groups (each fitting one transaction) into one wave of transactions: whole groups only, at most
 * 100 actions and about 3.5 MB each, and no item twice in the wave (two transactions in flight on one
 * item would conflict). `batches` lists each transaction's groups by index; `deferred` the groups that
 * touch an item already in the wave, for a later wave.
 */
export const packWave = (
  groups: readonly TransactGroup[],
  indices: readonly number[],
): { readonly batches: number[][]; readonly deferred: number[] } => {
  const batches: number[][] = [];
  const deferred: number[] = [];
  const taken = new Set<string>();
  let current: { members: number[]; actions: number; bytes: number } | undefined;
  for (const i of indices) {
    const group = groups[i] as TransactGroup;
    if (group.actions.some((a) => taken.has(a.key))) {
      deferred.push(i);
      continue;
    }
    const bytes = group.actions.reduce((n, a) => n + sizeOf(a.action), 0);
    if (
      !current ||
      current.actions + group.actions.length > TRANSACT_MAX_ACTIONS ||
      current.bytes + bytes > TRANSACT_MAX_BYTES
    ) {
      current = { members: [], actions: 0, bytes: 0 };
      batches.push(current.members);
    }
    current.members.push(i);
    current.actions += group.actions.length;
    current.bytes += bytes;
    for (const a of group.actions) taken.add(a.key);
  }
  return { batches, deferred };
};

/** Cancellation reasons after which a group was simply not written and may be planned and tried again. */
const NOT_WRITTEN_REASONS = new Set([
  'ConditionalCheckFailed',
  'TransactionConflict',
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
]);

type Cancelled = Error & { readonly CancellationReasons?: readonly { readonly Code?: string }[] };

const isCancelled = (error: unknown): error is Cancelled =>
  (error as { name?: string } | undefined)?.name === 'TransactionCanceledException';

/** A transaction cancelled for a reason no replanning can fix (a validation error, say). */
export class TransactionFailedError extends Error {
  constructor(reason: string, options?: ErrorOptions) {
    super(`A transaction was cancelled: ${reason}`, options);
    this.name = 'TransactionFailedError';
  }
}

/** How many times a group whose own actions all held is sent again after another group cancelled it. */
const MAX_INNOCENT_RETRIES = 3;

/**
 * Writes groups with TransactWriteItems, many groups a request, each group all or nothing: true for a
 * group written, false for one that was not (its condition failed, it conflicted with another writer,
 * it was throttled: the caller reads, plans and tries again). When a transaction is cancelled, the
 * groups whose own actions all held (reason `None`) are sent again without the others. Groups that
 * touch an item another group of the call touches go in a later wave. Every group must fit one
 * transaction (`fitsOneTransaction`). Other errors throw. The SDK fills ClientRequestToken, so its own
 * retries of a request are idempotent.
 */
export const transactWriteGroups = async (
  db: DynamoDBDocumentClient,
  groups: readonly TransactGroup[],
  options: { readonly concurrency?: number; readonly onRequest?: (actions: number) => void } = {},
): Promise<boolean[]> => {
  const result: boolean[] = groups.map(() => false);
  const tries = groups.map(() => 0);
  const send = async (members: number[], retry: number[]): Promise<void> => {
    const TransactItems = members.flatMap((i) => (groups[i] as TransactGroup).actions.map((a) => a.action));
    options.onRequest?.(TransactItems.length);
    try {
      await db.send(new TransactWriteCommand({ TransactItems }));
      for (const i of members) result[i] = true;
    } catch (error) {
      if (!isCancelled(error)) throw error;
      const codes = error.CancellationReasons ?? [];
      let at = 0;
      for (const i of members) {
        const own = (groups[i] as TransactGroup).actions.map(() => codes[at++]?.Code ?? 'None');
        const unexpected = own.find((c) => c !== 'None' && !NOT_WRITTEN_REASONS.has(c));
        if (unexpected) throw new TransactionFailedError(unexpected, { cause: error });
        if (codes.length === 0 || !own.every((c) => c === 'None')) continue;
        tries[i] = (tries[i] ?? 0) + 1;
        if ((tries[i] ?? 0) <= MAX_INNOCENT_RETRIES) retry.push(i);
      }
    }
  };
  let pending = groups.map((_, i) => i);
  while (pending.length > 0) {
    const { batches, deferred } = packWave(groups, pending);
    const retry: number[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < batches.length) await send(batches[next++] as number[], retry);
    };
    await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, batches.length) }, worker));
    pending = [...retry, ...deferred].sort((a, b) => a - b);
  }
  return result;
};
