import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FeedChangeSchema } from '../../../schemas/feed/feed-change.ts';
import { SCHEMA_VERSION } from '../../../schemas/index.ts';

const FILE = new URL('../../../schemas/json/feed-change.schema.json', import.meta.url);

/** The JSON Schema of the feed payload, rendered as schemas/generate-json-schema.ts renders the others. */
const renderFeedChangeSchema = (): string => {
  const json = z.toJSONSchema(FeedChangeSchema, {
    target: 'draft-2020-12',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  const { $schema, ...rest } = json;
  const doc = {
    $schema,
    $id: `https://msht-pipeline.example/schemas/v${SCHEMA_VERSION}/feed-change.schema.json`,
    title: 'Feed change (one committed marker change)',
    ...rest,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
};

describe('feed change JSON Schema', () => {
  it('matches the committed schemas/json/feed-change.schema.json (regenerate on change)', async () => {
    // Assess
    expect(await readFile(FILE, 'utf8')).toBe(renderFeedChangeSchema());
  });
});
