import { createHash } from 'node:crypto';
import { itemSize } from '../attribute-value.ts';
import {
  type EmulatorContext,
  isObject,
  type Json,
  type Operation,
  writeUnits,
} from '../emulator-context.ts';
import {
  type CancellationReason,
  CONDITION_FAILED_MESSAGE,
  idempotentParameterMismatch,
  transactionCanceled,
  validationError,
} from '../errors.ts';
import { partitionText, sortText } from '../storage.ts';
import {
  commitWrite,
  conditionHolds,
  planConditionCheck,
  planDelete,
  planPut,
  planUpdate,
  type WritePlan,
} from '../write-plan.ts';

const MAX_ACTIONS = 100;
/** How long a ClientRequestToken makes a repeated call idempotent (as in DynamoDB). */
const TOKEN_MS = 10 * 60 * 1000;
const MAX_TOKENS = 10_000;

const PLANNERS = {
  Put: planPut,
  Update: planUpdate,
  Delete: planDelete,
  ConditionCheck: planConditionCheck,
} as const;

/** A transaction seen with a token: a digest of its actions, its response and when it was made. */
type Remembered = { readonly request: string; readonly response: Json; readonly at: number };
const tokens = new WeakMap<EmulatorContext, Map<string, Remembered>>();

const remembered = (context: EmulatorContext): Map<string, Remembered> => {
  let map = tokens.get(context);
  if (!map) {
    map = new Map();
    tokens.set(context, map);
  }
  return map;
};

/**
 * TransactWriteItems: up to 100 Put, Update, Delete and ConditionCheck actions, all or nothing. Every
 * condition is checked first; if any fails nothing is written and TransactionCanceledException gives
 * a reason per action, in request order. One item may appear only once.
 */
export const transactWriteItems: Operation = (context, request) => {
  const actions = request.TransactItems;
  if (!Array.isArray(actions) || actions.length === 0)
    throw validationError(
      "1 validation error detected: Value null at 'transactItems' failed to satisfy constraint: Member must not be null",
    );
  if (actions.length > MAX_ACTIONS)
    throw validationError(
      `1 validation error detected: Value '[${actions.length} items]' at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100`,
    );
  const token = typeof request.ClientRequestToken === 'string' ? request.ClientRequestToken : undefined;
  // A digest of the actions, not the actions: the SDK sends a token with every transaction, and 10,000
  // remembered transactions of 100 puts held over 1 GB of request text in the emulator's heap.
  const signature = createHash('sha256').update(JSON.stringify(actions)).digest('base64');
  const now = Date.now();
  const seenTokens = remembered(context);
  if (token !== undefined) {
    const previous = seenTokens.get(token);
    if (previous && now - previous.at < TOKEN_MS) {
      if (previous.request !== signature) throw idempotentParameterMismatch();
      return previous.response;
    }
  }
  const plans: WritePlan[] = actions.map((action) => {
    const kinds = isObject(action) ? Object.keys(action).filter((k) => action[k] !== undefined) : [];
    if (kinds.length !== 1 || !((kinds[0] as string) in PLANNERS))
      throw validationError('TransactItems can only contain one of Check, Put, Update or Delete');
    const kind = kinds[0] as keyof typeof PLANNERS;
    const body = (action as Json)[kind];
    if (!isObject(body)) throw validationError(`Invalid ${kind} in TransactItems`);
    return PLANNERS[kind](context, body);
  });
  const seen = new Set<string>();
  for (const plan of plans) {
    const keys = plan.table.definition.keys;
    const id = `${plan.table.tid}\u0000${partitionText(plan.key[keys.hash.name] as never)}\u0000${sortText(keys, plan.key)}`;
    if (seen.has(id))
      throw validationError('Transaction request cannot include multiple operations on one item');
    seen.add(id);
  }
  const wantsCapacity =
    request.ReturnConsumedCapacity === 'TOTAL' || request.ReturnConsumedCapacity === 'INDEXES';
  const units = new Map<string, number>();
  context.storage.transaction(() => {
    const olds = plans.map((plan) => context.storage.get(plan.table, plan.key));
    const holds = plans.map((plan, i) => conditionHolds(plan, olds[i]));
    if (holds.some((ok) => !ok)) {
      const reasons: CancellationReason[] = plans.map((plan, i) => {
        if (holds[i]) return { Code: 'None' };
        const old = olds[i];
        return {
          Code: 'ConditionalCheckFailed',
          Message: CONDITION_FAILED_MESSAGE,
          ...(plan.returnOldOnFailure && old ? { Item: old } : {}),
        };
      });
      throw transactionCanceled(reasons);
    }
    // Every result is computed before anything is written, so a failing update writes nothing.
    const results = plans.map((plan, i) => (plan.kind === 'ConditionCheck' ? olds[i] : plan.apply(olds[i])));
    plans.forEach((plan, i) => {
      const old = olds[i];
      const after = results[i];
      commitWrite(context, { ...plan, apply: () => after }, old);
      // Sizing walks both items: only when the capacity is asked for.
      if (!wantsCapacity) return;
      const name = plan.table.definition.name;
      units.set(
        name,
        (units.get(name) ?? 0) + 2 * writeUnits([old ? itemSize(old) : 0, after ? itemSize(after) : 0]),
      );
    });
  });
  const response: Json = wantsCapacity
    ? { ConsumedCapacity: [...units].map(([TableName, CapacityUnits]) => ({ TableName, CapacityUnits })) }
    : {};
  if (token !== undefined) {
    if (seenTokens.size >= MAX_TOKENS) {
      for (const [t, r] of seenTokens)
        if (now - r.at >= TOKEN_MS || seenTokens.size >= MAX_TOKENS) seenTokens.delete(t);
    }
    seenTokens.set(token, { request: signature, response, at: now });
  }
  return response;
};
