import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { glueType } from '../../../schemas/query/columns.ts';
import { renderQueryTables } from '../../../schemas/query/query-doc.ts';
import { columnNames, QUERY_TABLES, QUERY_VIEWS } from '../../../schemas/query/tables.ts';

const doc = readFileSync(join(import.meta.dirname, '../../../docs/query.md'), 'utf8');

describe('docs/query.md', () => {
  it('holds the current generated table lists (run npm run docs:generate after changing a schema)', () => {
    expect(doc.includes(renderQueryTables()), 'query.md drift: run npm run docs:generate').toBe(true);
  });
});

describe('the query tables', () => {
  it('have every field of the canonical records as a column, and partition columns that no record field shadows', () => {
    const subjects = QUERY_TABLES.find((t) => t.name === 'subjects');
    expect(subjects?.columns.map((c) => c.name)).toEqual(
      expect.arrayContaining(['subjectId', 'roles', 'identifiers']),
    );
    for (const table of QUERY_TABLES) {
      const names = columnNames(table).map((n) => n.toLowerCase());
      expect(new Set(names).size).toBe(names.length);
    }
    const objects = QUERY_TABLES.find((t) => t.name === 'objects');
    // The object record is a union of kinds: its columns are all of theirs.
    expect(objects?.columns.map((c) => c.name)).toEqual(expect.arrayContaining(['objectType', 'identifier']));
  });

  it('give Glue types in lower case and structs for nested objects', () => {
    const provenance = QUERY_TABLES[0]?.columns.find((c) => c.name === 'provenance');
    expect(provenance && glueType(provenance.type)).toMatch(/^struct<uploadid:string,submittingorg:string,/);
  });

  it('have a current view for each record table, reading the counted uploads only', () => {
    expect(QUERY_VIEWS.map((v) => v.name)).toEqual([
      'counted_uploads',
      'current_subjects',
      'current_operations',
      'current_objects',
      'current_locations',
    ]);
    for (const view of QUERY_VIEWS.slice(1)) expect(view.sql).toContain('JOIN counted_uploads');
  });
});
