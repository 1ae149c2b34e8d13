import { describe, expect, it } from 'vitest';
import { FAMILY_HEADINGS, TABLE_GROUPS, tableSpec } from '../../../../functions/aggregate/tables/registry.ts';
import { NationalTableSchema } from '../../../../schemas/aggregate/national.ts';

describe('TABLE_GROUPS', () => {
  it('declares each table once, with a valid id and a family heading', () => {
    // Act
    const ids = TABLE_GROUPS.flatMap((group) => group.tables.map((spec) => spec.id));
    // Assess
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(NationalTableSchema.shape.id.safeParse(id).success).toBe(true);
      expect(FAMILY_HEADINGS[id.slice(0, 2)]).toBeDefined();
      expect(tableSpec(id)?.id).toBe(id);
    }
    expect(new Set(TABLE_GROUPS.map((g) => g.id)).size).toBe(TABLE_GROUPS.length);
  });

  it('links only tables of the same group', () => {
    for (const group of TABLE_GROUPS) {
      const ids = new Set(group.tables.map((spec) => spec.id));
      for (const link of group.links) {
        expect(ids.has(link.a.table) && ids.has(link.b.table)).toBe(true);
      }
    }
  });
});
