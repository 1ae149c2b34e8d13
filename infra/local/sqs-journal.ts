import { closeSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';

// The parts of local-aws-sqs's Queue (lib/queue.d.ts) the journal uses. Its message list is private;
// every way into or out of it goes through these methods, which are instance properties or prototype
// methods and so can be wrapped per queue.
type SqsRecord = {
  readonly MessageId: string;
  readonly MessageBody: string;
  readonly MessageAttributes?: Record<string, unknown>;
  readonly attributes: Record<string, string>;
};
type QueuedMessage = { record: SqsRecord; tmRetention?: NodeJS.Timeout; delayed?: boolean };
export type JournaledQueue = {
  readonly QueueName: string;
  readonly RedrivePolicy?: { readonly deadLetterTargetArn: string; readonly maxReceiveCount: number };
  readonly MessageRetentionPeriod: number;
  readonly DelaySeconds: number;
  setRecord: (input: Record<string, unknown>, messageId?: string) => QueuedMessage;
  newRecord: (record: SqsRecord, delaySeconds?: number) => QueuedMessage;
  receive: (args: unknown) => Promise<SqsRecord[]>;
  delete: (receiptHandle: string) => boolean;
  changeVisibility: (receiptHandle: string, visibilityTimeout: string) => boolean;
  clearRecords: () => void;
};

/**
 * One line of the journal. `a` a message entered queue `q` (sent, or moved to a DLQ: a message id lives
 * in one queue at a time, so a later `a` moves it); `r` it was received (its receive count `n`); `x`
 * deleted; `l` released by the local stack (an invocation abandoned at a stop: that receive does not
 * count); `p` the queue was purged.
 */
type Line =
  | {
      o: 'a';
      q: string;
      id: string;
      b: string;
      ma?: Record<string, unknown>;
      at: Record<string, string>;
      d: number;
    }
  | { o: 'r'; q: string; id: string; n: number; f: string }
  | { o: 'x' | 'l'; q: string; id: string }
  | { o: 'p'; q: string };

type Live = {
  q: string;
  b: string;
  ma?: Record<string, unknown>;
  at: Record<string, string>;
  d: number;
};

/** What a start found in the journal and put back. */
export type RestoredQueues = {
  /** Messages put back per queue; `receivedBefore` of them had been received (in flight, or failed). */
  readonly queues: Readonly<Record<string, { readonly messages: number; readonly receivedBefore: number }>>;
  /** Messages past their queue's retention period, dropped as SQS drops them. */
  readonly expired: number;
  /** Messages received maxReceiveCount times and not deleted: moved to their DLQ, as SQS would. */
  readonly deadLettered: number;
  /** A line cut short by a kill while it was written (its request had no answer): ignored. */
  readonly tornTail: boolean;
};

export type SqsJournal = {
  /** Wraps the queues (created by now), puts back what the journal holds, and journals from then on. */
  readonly attach: (queues: readonly JournaledQueue[]) => RestoredQueues;
  /** Marks received messages as released: their receive is not counted when they are put back. */
  readonly release: (queueName: string, messageIds: readonly string[]) => void;
  readonly close: () => void;
};

const FILE = 'journal.jsonl';
/** Compacts once this much has been appended and it is over 4 times what is live. */
const COMPACT_AFTER_BYTES = 64 * 1024 * 1024;

const queueNameOfArn = (arn: string): string => arn.slice(arn.lastIndexOf(':') + 1);

/** The message id inside a local-aws-sqs receipt handle: base64 of a uuid and `{date,MessageId,QueueName}`. */
const messageIdOfHandle = (handle: string): string | undefined => {
  try {
    const text = Buffer.from(handle, 'base64').toString('utf8');
    const parsed = JSON.parse(text.slice(text.indexOf('{'))) as { MessageId?: unknown };
    return typeof parsed.MessageId === 'string' ? parsed.MessageId : undefined;
  } catch {
    return undefined;
  }
};

/** A receipt handle local-aws-sqs accepts for a message (it checks the queue name and the message id). */
const handleFor = (queueName: string, messageId: string): string =>
  Buffer.from(
    `journal${JSON.stringify({ date: Date.now(), MessageId: messageId, QueueName: queueName })}`,
  ).toString('base64');

const writeAll = (fd: number, text: string): void => {
  const bytes = Buffer.from(text, 'utf8');
  let offset = 0;
  while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
};

/** Reads the journal into the live messages: later lines win; a torn last line is ignored. */
const replay = (text: string): { live: Map<string, Live>; tornTail: boolean } => {
  const live = new Map<string, Live>();
  const lines = text.split('\n');
  const tail = lines.pop() ?? '';
  let tornTail = tail.length > 0;
  for (const [i, raw] of lines.entries()) {
    if (raw.length === 0) continue;
    let line: Line;
    try {
      line = JSON.parse(raw) as Line;
    } catch {
      // Only the last line can be torn; an unreadable one elsewhere is skipped the same way.
      if (i === lines.length - 1) tornTail = true;
      continue;
    }
    if (line.o === 'a') {
      live.set(line.id, {
        q: line.q,
        b: line.b,
        at: { ...line.at },
        d: line.d,
        ...(line.ma ? { ma: line.ma } : {}),
      });
    } else if (line.o === 'p') {
      for (const [id, m] of live) if (m.q === line.q) live.delete(id);
    } else {
      const m = live.get(line.id);
      if (!m || m.q !== line.q) continue;
      if (line.o === 'x') live.delete(line.id);
      else if (line.o === 'r') {
        m.at.ApproximateReceiveCount = String(line.n);
        m.at.ApproximateFirstReceiveTimestamp = line.f;
      } else if (line.o === 'l') {
        m.at.ApproximateReceiveCount = String(Math.max(0, Number(m.at.ApproximateReceiveCount ?? 0) - 1));
      }
    }
  }
  return { live, tornTail };
};

/**
 * SQS queues that survive a stop or a kill -9 of the local stack: every change to a queue is appended
 * to `{folder}/journal.jsonl` (a write to the file, so in the operating system's hands, before the SQS
 * emulator answers the request), and on start the journal is replayed into the new queues. As on SQS:
 * a message keeps its id, body, attributes, sent time and receive count; one that was in flight becomes
 * visible again (whoever received it was this process, and is gone); one received maxReceiveCount times
 * goes to its DLQ; one past the retention period is dropped. The journal is compacted to the live
 * messages on start and when it has grown well past them. Durable against a crash of the process, not
 * of the machine (nothing is fsynced).
 */
export const openSqsJournal = (folder: string): SqsJournal => {
  mkdirSync(folder, { recursive: true });
  const path = join(folder, FILE);
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  let fd: number | undefined;
  let appended = 0;
  let closed = false;
  /** The messages in the queues, by id: what a compaction writes. */
  const tracked = new Map<string, { q: string; message: QueuedMessage; d: number }>();
  let restoring = false;

  const append = (lines: readonly Line[]): void => {
    if (restoring || closed || fd === undefined || lines.length === 0) return;
    const text = `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`;
    writeAll(fd, text);
    appended += text.length;
    if (appended > COMPACT_AFTER_BYTES) {
      let liveBytes = 0;
      for (const t of tracked.values()) liveBytes += t.message.record.MessageBody.length;
      if (appended > 4 * liveBytes) compact();
    }
  };

  const snapshotLine = (id: string, t: { q: string; message: QueuedMessage; d: number }): Line => {
    const { record } = t.message;
    return {
      o: 'a',
      q: t.q,
      id,
      b: record.MessageBody,
      at: { ...record.attributes },
      d: t.d,
      ...(record.MessageAttributes ? { ma: record.MessageAttributes } : {}),
    };
  };

  /** Writes the live messages to a new file and renames it over the journal (atomic: a kill keeps the old). */
  const compact = (): void => {
    const temp = `${path}.tmp`;
    const next = openSync(temp, 'w');
    let chunk: string[] = [];
    for (const [id, t] of tracked) {
      chunk.push(JSON.stringify(snapshotLine(id, t)));
      if (chunk.length >= 1000) {
        writeAll(next, `${chunk.join('\n')}\n`);
        chunk = [];
      }
    }
    if (chunk.length > 0) writeAll(next, `${chunk.join('\n')}\n`);
    renameSync(temp, path);
    if (fd !== undefined) closeSync(fd);
    fd = next;
    appended = 0;
  };

  const armRetention = (queue: JournaledQueue, message: QueuedMessage): void => {
    // local-aws-sqs drops an expired message privately; this timer drops it through delete(), so it is
    // journaled, counting from the original sent time (which a restored message keeps).
    clearTimeout(message.tmRetention);
    const sent = Number(message.record.attributes.SentTimestamp ?? Date.now());
    const left = Math.max(0, sent + queue.MessageRetentionPeriod * 1000 - Date.now());
    const id = message.record.MessageId;
    message.tmRetention = setTimeout(() => queue.delete(handleFor(queue.QueueName, id)), left);
    message.tmRetention.unref();
  };

  const wrap = (queue: JournaledQueue): void => {
    const q = queue.QueueName;
    const newRecord = queue.newRecord;
    queue.newRecord = (record, delaySeconds) => {
      const message = newRecord(record, delaySeconds);
      const d = Number.isNaN(Number(delaySeconds)) ? queue.DelaySeconds : Number(delaySeconds);
      tracked.set(record.MessageId, { q, message, d });
      armRetention(queue, message);
      append([snapshotLine(record.MessageId, { q, message, d })]);
      return message;
    };
    const receive = queue.receive.bind(queue);
    queue.receive = async (args) => {
      const records = await receive(args);
      append(
        records.map((r) => ({
          o: 'r',
          q,
          id: r.MessageId,
          n: Number(r.attributes.ApproximateReceiveCount),
          f: r.attributes.ApproximateFirstReceiveTimestamp ?? '',
        })),
      );
      return records;
    };
    const remove = queue.delete.bind(queue);
    queue.delete = (handle) => {
      const result = remove(handle);
      const id = messageIdOfHandle(handle);
      if (id !== undefined && tracked.get(id)?.q === q) {
        tracked.delete(id);
        append([{ o: 'x', q, id }]);
      }
      return result;
    };
    const changeVisibility = queue.changeVisibility.bind(queue);
    queue.changeVisibility = (handle, timeout) => {
      const result = changeVisibility(handle, timeout);
      // local-aws-sqs counts a visibility change as a receive: the journal keeps the count it holds.
      const id = messageIdOfHandle(handle);
      const t = id === undefined ? undefined : tracked.get(id);
      if (id !== undefined && t?.q === q) {
        const { attributes } = t.message.record;
        append([
          {
            o: 'r',
            q,
            id,
            n: Number(attributes.ApproximateReceiveCount),
            f: attributes.ApproximateFirstReceiveTimestamp ?? '',
          },
        ]);
      }
      return result;
    };
    const clearRecords = queue.clearRecords.bind(queue);
    queue.clearRecords = () => {
      clearRecords();
      for (const [id, t] of tracked) if (t.q === q) tracked.delete(id);
      append([{ o: 'p', q }]);
    };
  };

  const attach: SqsJournal['attach'] = (queues) => {
    const byName = new Map(queues.map((queue) => [queue.QueueName, queue]));
    const { live, tornTail } = replay(text);
    text = '';
    for (const queue of queues) wrap(queue);
    const counts: Record<string, { messages: number; receivedBefore: number }> = {};
    let expired = 0;
    let deadLettered = 0;
    restoring = true;
    try {
      for (const [id, m] of live) {
        let queue = byName.get(m.q);
        if (!queue) continue;
        const now = Date.now();
        const sent = Number(m.at.SentTimestamp ?? now);
        if (sent + queue.MessageRetentionPeriod * 1000 <= now) {
          expired++;
          continue;
        }
        const received = Number(m.at.ApproximateReceiveCount ?? 0);
        const redrive = queue.RedrivePolicy;
        const dlq = redrive ? byName.get(queueNameOfArn(redrive.deadLetterTargetArn)) : undefined;
        let attributes = m.at;
        if (redrive && dlq && received >= redrive.maxReceiveCount) {
          // Its last receive's visibility timeout has passed: SQS moves it to the DLQ (as local-aws-sqs
          // does: a new record there, the source queue's ARN in DeadLetterQueueSourceArn).
          attributes = {
            ...m.at,
            ApproximateReceiveCount: '0',
            ApproximateFirstReceiveTimestamp: '',
            DeadLetterQueueSourceArn: redrive.deadLetterTargetArn.replace(/[^:]*$/, queue.QueueName),
            SentTimestamp: String(now),
          };
          queue = dlq;
          deadLettered++;
        }
        const delayLeft = Math.max(0, sent + m.d * 1000 - now) / 1000;
        const message = queue.setRecord(
          { MessageBody: m.b, ...(m.ma ? { MessageAttributes: m.ma } : {}), DelaySeconds: delayLeft },
          id,
        );
        Object.assign(message.record.attributes, attributes);
        const t = tracked.get(id);
        if (t) t.d = m.d;
        armRetention(queue, message);
        const c = counts[queue.QueueName] ?? { messages: 0, receivedBefore: 0 };
        counts[queue.QueueName] = c;
        c.messages++;
        if (Number(attributes.ApproximateReceiveCount ?? 0) > 0) c.receivedBefore++;
      }
    } finally {
      restoring = false;
    }
    compact();
    return { queues: counts, expired, deadLettered, tornTail };
  };

  return {
    attach,
    release: (queueName, ids) => {
      append(ids.map((id) => ({ o: 'l', q: queueName, id })));
    },
    close: () => {
      if (closed) return;
      closed = true;
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
};
