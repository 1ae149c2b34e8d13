import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { type AttributeValue, type Item, itemSize, sortableText, typeOf } from './attribute-value.ts';
import type { IndexDefinition, KeySchema, TableDefinition } from './table-schema.ts';

/** Where a read starts or continues: the sortable texts of the last position read. */
export type Position = readonly string[];

/** One item read in key order, with the position after which the next page starts. */
export type StoredRow = { readonly item: Item; readonly position: Position };

const hashBytes = (value: AttributeValue): Buffer => {
  const type = typeOf(value);
  if (type === 'S') return Buffer.from((value as { S: string }).S, 'utf8');
  if (type === 'B') return Buffer.from((value as { B: string }).B, 'base64');
  return Buffer.from(sortableText(value), 'utf8');
};

/**
 * The 6 hex characters a partition key's items are scattered by (an MD5, as dynalite does), so that a
 * Scan returns partitions in no meaningful order and Segment/TotalSegments split them evenly.
 */
export const scatter = (hash: AttributeValue, range?: AttributeValue): string => {
  const md5 = createHash('md5').update('Outliers').update(hashBytes(hash));
  if (range) md5.update(hashBytes(range));
  return md5.digest('hex').slice(0, 6);
};

/**
 * Partition texts computed lately, by type and value: a write computes its key's MD5 several times
 * (the key check, the read of the old item, the row, every index entry before and after) and an index
 * key such as `pndSyncState = PENDING` recurs in every item, so the MD5s took a tenth of the emulator's time.
 */
const partitionTexts = new Map<string, string>();
const MAX_PARTITION_TEXTS = 20_000;

/** The stored partition text of a key: its scatter prefix, then the value in sortable form. */
export const partitionText = (hash: AttributeValue): string => {
  const type = typeOf(hash);
  const payload = (hash as Record<string, unknown>)[type];
  const memo = typeof payload === 'string' ? `${type}${payload}` : undefined;
  const known = memo === undefined ? undefined : partitionTexts.get(memo);
  if (known !== undefined) return known;
  const text = `${scatter(hash)}/${sortableText(hash)}`;
  if (memo !== undefined) {
    if (partitionTexts.size >= MAX_PARTITION_TEXTS) partitionTexts.clear();
    partitionTexts.set(memo, text);
  }
  return text;
};

/** The stored sort text of a key ('' for a table or index without a sort key). */
export const sortText = (keys: KeySchema, item: Item): string =>
  keys.range ? sortableText(item[keys.range.name] as AttributeValue) : '';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS tables (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, definition TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS items (
  tid INTEGER NOT NULL, hk TEXT NOT NULL, sk TEXT NOT NULL, size INTEGER NOT NULL, item TEXT NOT NULL,
  UNIQUE (tid, hk, sk));
CREATE TABLE IF NOT EXISTS gsi (
  tid INTEGER NOT NULL, idx TEXT NOT NULL, hk TEXT NOT NULL, sk TEXT NOT NULL, tie TEXT NOT NULL,
  thk TEXT NOT NULL, tsk TEXT NOT NULL, PRIMARY KEY (tid, idx, hk, sk, tie, thk, tsk)) WITHOUT ROWID;
`;

type Row = Record<string, unknown>;

/**
 * Items live in a rowid table with a unique key index, not in a WITHOUT ROWID table keyed by the key:
 * a WITHOUT ROWID row over about 1 KB (a marker item is 1.2 KB) spills into an overflow page of its
 * own, so every item took two random pages (5 KB on disk) and every write dirtied both; in a rowid
 * table a replaced item is appended and only the small key index is written at random (a third of the
 * file, and writes and reads 3 to 6 times faster). Databases of the old layout are moved over on open.
 */
const MIGRATE_ITEMS = `
ALTER TABLE items RENAME TO items_without_rowid;
CREATE TABLE items (
  tid INTEGER NOT NULL, hk TEXT NOT NULL, sk TEXT NOT NULL, size INTEGER NOT NULL, item TEXT NOT NULL,
  UNIQUE (tid, hk, sk));
INSERT INTO items (tid, hk, sk, size, item) SELECT tid, hk, sk, size, item FROM items_without_rowid;
DROP TABLE items_without_rowid;
`;

/** A table as storage knows it: its definition and its row id. */
export type StoredTable = { readonly tid: number; readonly definition: TableDefinition };

/** Whether a folder holds a dynalite LevelDB (from before this emulator). */
export const isLevelDbFolder = (dir: string): boolean =>
  existsSync(dir) &&
  readdirSync(dir).some((f) => f === 'CURRENT' || f.startsWith('MANIFEST-') || f.endsWith('.ldb'));

/**
 * The items of every table in one SQLite database (node:sqlite, WAL): one row per item keyed by
 * (table, partition text, sort text), and one row per GSI entry pointing at its item. Every write is
 * committed before it returns, so a crash of the process loses nothing answered.
 */
export class Storage {
  private readonly db: DatabaseSync;
  private readonly statements = new Map<string, StatementSync>();
  private readonly tables = new Map<string, StoredTable>();
  private depth = 0;

  constructor(file: string) {
    this.db = new DatabaseSync(file);
    // A checkpoint (which syncs) every 10,000 WAL pages (40 MB) rather than SQLite's 1,000: a write
    // burst then syncs ten times less often; the WAL is cut back to 64 MB after each checkpoint.
    this.db.exec(
      'PRAGMA locking_mode = EXCLUSIVE; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -32000; PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = 10000; PRAGMA journal_size_limit = 67108864;',
    );
    const items = this.db
      .prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'items'")
      .get() as Row | undefined;
    if (items && /WITHOUT ROWID/i.test(String(items.sql)))
      this.transaction(() => this.db.exec(MIGRATE_ITEMS));
    this.db.exec(SCHEMA);
    for (const row of this.sql('SELECT id, definition FROM tables').all() as Row[]) {
      const definition = JSON.parse(String(row.definition)) as TableDefinition;
      this.tables.set(definition.name, { tid: Number(row.id), definition });
    }
  }

  private sql(text: string): StatementSync {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  /** Runs `fn` in one transaction (nested calls join the outer one); rolled back if it throws. */
  transaction<T>(fn: () => T): T {
    if (this.depth > 0) return fn();
    this.db.exec('BEGIN IMMEDIATE');
    this.depth++;
    try {
      const result = fn();
      this.depth--;
      this.db.exec('COMMIT');
      return result;
    } catch (err) {
      this.depth--;
      this.db.exec('ROLLBACK');
      throw err;
    }
  }

  table(name: string): StoredTable | undefined {
    return this.tables.get(name);
  }

  tableNames(): string[] {
    return [...this.tables.keys()].sort();
  }

  createTable(definition: TableDefinition): StoredTable {
    const result = this.sql('INSERT INTO tables (name, definition) VALUES (?, ?)').run(
      definition.name,
      JSON.stringify(definition),
    );
    const stored = { tid: Number(result.lastInsertRowid), definition };
    this.tables.set(definition.name, stored);
    return stored;
  }

  updateTable(definition: TableDefinition): void {
    const stored = this.tables.get(definition.name);
    if (!stored) return;
    this.sql('UPDATE tables SET definition = ? WHERE id = ?').run(JSON.stringify(definition), stored.tid);
    this.tables.set(definition.name, { tid: stored.tid, definition });
  }

  deleteTable(name: string): void {
    const stored = this.tables.get(name);
    if (!stored) return;
    this.transaction(() => {
      this.sql('DELETE FROM items WHERE tid = ?').run(stored.tid);
      this.sql('DELETE FROM gsi WHERE tid = ?').run(stored.tid);
      this.sql('DELETE FROM tables WHERE id = ?').run(stored.tid);
    });
    this.tables.delete(name);
  }

  /** Item count and bytes of a table. */
  tableCounts(table: StoredTable): { items: number; bytes: number } {
    const row = this.sql('SELECT count(*) AS n, coalesce(sum(size), 0) AS b FROM items WHERE tid = ?').get(
      table.tid,
    ) as Row;
    return { items: Number(row.n), bytes: Number(row.b) };
  }

  /** Item count and bytes of an index. */
  indexCounts(table: StoredTable, index: string): { items: number; bytes: number } {
    const row = this.sql(
      'SELECT count(*) AS n, coalesce(sum(i.size), 0) AS b FROM gsi g JOIN items i ON i.tid = g.tid AND i.hk = g.thk AND i.sk = g.tsk WHERE g.tid = ? AND g.idx = ?',
    ).get(table.tid, index) as Row;
    return { items: Number(row.n), bytes: Number(row.b) };
  }

  /** The item with a key, if any. */
  get(table: StoredTable, key: Item): Item | undefined {
    const keys = table.definition.keys;
    const row = this.sql('SELECT item FROM items WHERE tid = ? AND hk = ? AND sk = ?').get(
      table.tid,
      partitionText(key[keys.hash.name] as AttributeValue),
      sortText(keys, key),
    ) as Row | undefined;
    return row ? (JSON.parse(String(row.item)) as Item) : undefined;
  }

  private indexRow(table: StoredTable, index: IndexDefinition, item: Item): unknown[] | undefined {
    const hash = item[index.keys.hash.name];
    if (hash === undefined || typeOf(hash) !== index.keys.hash.type) return undefined;
    const range = index.keys.range ? item[index.keys.range.name] : undefined;
    if (index.keys.range && (range === undefined || typeOf(range) !== index.keys.range.type))
      return undefined;
    const keys = table.definition.keys;
    const tableHash = item[keys.hash.name] as AttributeValue;
    const tableRange = keys.range ? item[keys.range.name] : undefined;
    const tablePartition = partitionText(tableHash);
    return [
      table.tid,
      index.name,
      partitionText(hash),
      range ? sortableText(range) : '',
      // Without a sort key the tie-break is the partition text's own prefix.
      tableRange ? scatter(tableHash, tableRange) : tablePartition.slice(0, 6),
      tablePartition,
      sortText(keys, item),
    ];
  }

  /** Writes an item (replacing the one with its key, `old` when the caller read it) and its index entries. */
  put(table: StoredTable, item: Item, old: Item | undefined): void {
    const keys = table.definition.keys;
    const hk = partitionText(item[keys.hash.name] as AttributeValue);
    const sk = sortText(keys, item);
    const write = () => {
      this.sql('INSERT OR REPLACE INTO items (tid, hk, sk, size, item) VALUES (?, ?, ?, ?, ?)').run(
        table.tid,
        hk,
        sk,
        itemSize(item),
        JSON.stringify(item),
      );
      this.reindex(table, old, item);
    };
    if (table.definition.indexes.length > 0) this.transaction(write);
    else write();
  }

  private reindex(table: StoredTable, old: Item | undefined, item: Item | undefined): void {
    for (const index of table.definition.indexes) {
      const before = old ? this.indexRow(table, index, old) : undefined;
      const after = item ? this.indexRow(table, index, item) : undefined;
      if (before && after && before.every((v, i) => v === after[i])) continue;
      if (before)
        this.sql(
          'DELETE FROM gsi WHERE tid = ? AND idx = ? AND hk = ? AND sk = ? AND tie = ? AND thk = ? AND tsk = ?',
        ).run(...(before as string[]));
      if (after)
        this.sql(
          'INSERT OR REPLACE INTO gsi (tid, idx, hk, sk, tie, thk, tsk) VALUES (?, ?, ?, ?, ?, ?, ?)',
        ).run(...(after as string[]));
    }
  }

  /** Deletes the item `old` (read by the caller) and its index entries. */
  delete(table: StoredTable, old: Item): void {
    const keys = table.definition.keys;
    const remove = () => {
      this.sql('DELETE FROM items WHERE tid = ? AND hk = ? AND sk = ?').run(
        table.tid,
        partitionText(old[keys.hash.name] as AttributeValue),
        sortText(keys, old),
      );
      this.reindex(table, old, undefined);
    };
    if (table.definition.indexes.length > 0) this.transaction(remove);
    else remove();
  }

  /**
   * Reads up to `limit` items of one partition in sort order (reverse when `forward` is false), within
   * sort-text bounds, after `start`.
   */
  queryPartition(
    table: StoredTable,
    index: IndexDefinition | undefined,
    hash: AttributeValue,
    bounds: {
      readonly low?: string;
      readonly lowInclusive?: boolean;
      readonly high?: string;
      readonly highInclusive?: boolean;
    },
    forward: boolean,
    start: Position | undefined,
    limit: number,
  ): StoredRow[] {
    const args: (string | number)[] = [table.tid];
    const where: string[] = [];
    const p = index ? 'g.' : '';
    if (index) {
      where.push('g.tid = ?', 'g.idx = ?');
      args.push(index.name);
    } else where.push('tid = ?');
    where.push(`${p}hk = ?`);
    args.push(partitionText(hash));
    if (bounds.low !== undefined) {
      where.push(`${p}sk ${bounds.lowInclusive ? '>=' : '>'} ?`);
      args.push(bounds.low);
    }
    if (bounds.high !== undefined) {
      where.push(`${p}sk ${bounds.highInclusive ? '<=' : '<'} ?`);
      args.push(bounds.high);
    }
    const columns = index ? ['g.sk', 'g.tie', 'g.thk', 'g.tsk'] : ['sk'];
    if (start) {
      where.push(`(${columns.join(', ')}) ${forward ? '>' : '<'} (${columns.map(() => '?').join(', ')})`);
      args.push(...start);
    }
    const order = columns.map((c) => `${c}${forward ? '' : ' DESC'}`).join(', ');
    const text = index
      ? `SELECT i.item AS item, ${columns.map((c, k) => `${c} AS p${k}`).join(', ')} FROM gsi g JOIN items i ON i.tid = g.tid AND i.hk = g.thk AND i.sk = g.tsk WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ?`
      : `SELECT item, sk AS p0 FROM items WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ?`;
    args.push(limit);
    return (this.sql(text).all(...args) as Row[]).map((row) => ({
      item: JSON.parse(String(row.item)) as Item,
      position: columns.map((_, k) => String(row[`p${k}`])),
    }));
  }

  /** Reads up to `limit` items of a table or index in scan order, between partition-text bounds, after `start`. */
  scan(
    table: StoredTable,
    index: IndexDefinition | undefined,
    bounds: { readonly from?: string; readonly to?: string },
    start: Position | undefined,
    limit: number,
  ): StoredRow[] {
    const args: (string | number)[] = [table.tid];
    const where: string[] = [];
    const p = index ? 'g.' : '';
    if (index) {
      where.push('g.tid = ?', 'g.idx = ?');
      args.push(index.name);
    } else where.push('tid = ?');
    if (bounds.from !== undefined) {
      where.push(`${p}hk >= ?`);
      args.push(bounds.from);
    }
    if (bounds.to !== undefined) {
      where.push(`${p}hk < ?`);
      args.push(bounds.to);
    }
    const columns = index ? ['g.hk', 'g.sk', 'g.tie', 'g.thk', 'g.tsk'] : ['hk', 'sk'];
    if (start) {
      where.push(`(${columns.join(', ')}) > (${columns.map(() => '?').join(', ')})`);
      args.push(...start);
    }
    const text = index
      ? `SELECT i.item AS item, ${columns.map((c, k) => `${c} AS p${k}`).join(', ')} FROM gsi g JOIN items i ON i.tid = g.tid AND i.hk = g.thk AND i.sk = g.tsk WHERE ${where.join(' AND ')} ORDER BY ${columns.join(', ')} LIMIT ?`
      : `SELECT item, hk AS p0, sk AS p1 FROM items WHERE ${where.join(' AND ')} ORDER BY hk, sk LIMIT ?`;
    args.push(limit);
    return (this.sql(text).all(...args) as Row[]).map((row) => ({
      item: JSON.parse(String(row.item)) as Item,
      position: columns.map((_, k) => String(row[`p${k}`])),
    }));
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }
}

/**
 * Where a page that ended on `key` continues: the stored texts of the key in the order a read sorts
 * by (a query's sort key, or a scan's partition and sort key; an index adds the table's key).
 */
export const positionOf = (
  definition: TableDefinition,
  index: IndexDefinition | undefined,
  key: Item,
  scan: boolean,
): Position => {
  const keys = definition.keys;
  const tableHash = key[keys.hash.name] as AttributeValue;
  if (!index) return scan ? [partitionText(tableHash), sortText(keys, key)] : [sortText(keys, key)];
  const tableRange = keys.range ? key[keys.range.name] : undefined;
  const own = [
    sortText(index.keys, key),
    scatter(tableHash, tableRange),
    partitionText(tableHash),
    sortText(keys, key),
  ];
  return scan ? [partitionText(key[index.keys.hash.name] as AttributeValue), ...own] : own;
};
