import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateJsonSchemas, JSON_SCHEMA_DIR } from '../../../schemas/generate-json-schema.ts';

describe('committed JSON Schema files', () => {
  it('match the zod schemas (run npm run schemas:generate after changing a schema)', () => {
    // Prepare
    const generated = generateJsonSchemas();
    const committed = Object.fromEntries(
      readdirSync(JSON_SCHEMA_DIR)
        .filter((f) => f.endsWith('.schema.json'))
        .map((f) => [f, readFileSync(join(JSON_SCHEMA_DIR, f), 'utf8')]),
    );

    // Assess
    const drifted = Object.keys({ ...generated, ...committed }).filter((f) => generated[f] !== committed[f]);
    expect(drifted, 'JSON Schema drift: run npm run schemas:generate').toEqual([]);
  });

  it('are stable, pretty-printed JSON with a trailing newline', () => {
    // Assess
    for (const content of Object.values(generateJsonSchemas())) {
      expect(content.endsWith('}\n')).toBe(true);
      expect(`${JSON.stringify(JSON.parse(content), null, 2)}\n`).toBe(content);
    }
    expect(generateJsonSchemas()).toEqual(generateJsonSchemas());
  });
});
