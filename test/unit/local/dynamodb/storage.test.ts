import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { Storage } from '../../../../infra/local/dynamodb/storage.ts';

const dirs: string[] = [];
const tempFile = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'msht-storage-'));
  dirs.push(dir);
  return join(dir, 'dynamodb.sqlite');
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const definition = {
  name: 'markers',
  keys: { hash: { name: 'pk', type: 'S' } },
  indexes: [],
} as unknown as Parameters<Storage['createTable']>[0];

describe('Storage', () => {
  it('keeps items in a rowid table (a WITHOUT ROWID row over 1 KB would spill into an overflow page)', () => {
    const file = tempFile();
    new Storage(file).close();
    const db = new DatabaseSync(file);
    const { sql } = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'items'").get() as { sql: string };
    db.close();
    expect(sql).not.toMatch(/WITHOUT ROWID/i);
  });

  it('moves the items of a database of the old layout (WITHOUT ROWID) over on open', () => {
    const file = tempFile();
    const storage = new Storage(file);
    const table = storage.createTable(definition);
    const item = { pk: { S: 'a' }, payload: { S: 'x'.repeat(2000) } };
    storage.put(table, item, undefined);
    storage.close();
    // Rewrite the file into the layout of before: the same rows in a WITHOUT ROWID table.
    const db = new DatabaseSync(file);
    db.exec(`ALTER TABLE items RENAME TO rowid_items;
      CREATE TABLE items (tid INTEGER NOT NULL, hk TEXT NOT NULL, sk TEXT NOT NULL, size INTEGER NOT NULL,
        item TEXT NOT NULL, PRIMARY KEY (tid, hk, sk)) WITHOUT ROWID;
      INSERT INTO items SELECT tid, hk, sk, size, item FROM rowid_items; DROP TABLE rowid_items;`);
    db.close();

    const reopened = new Storage(file);
    const stored = reopened.table('markers');
    expect(stored && reopened.get(stored, { pk: { S: 'a' } })).toEqual(item);
    expect(stored && reopened.tableCounts(stored).items).toBe(1);
    reopened.close();
    const check = new DatabaseSync(file);
    const { sql } = check.prepare("SELECT sql FROM sqlite_master WHERE name = 'items'").get() as {
      sql: string;
    };
    check.close();
    expect(sql).not.toMatch(/WITHOUT ROWID/i);
  });
});
