import type { z } from 'zod';

/**
 * The length of a text in characters (Unicode code points): an emoji or another character outside the
 * Basic Multilingual Plane counts once, as the extract specification and JSON Schema `maxLength` count.
 */
export const codePointLength = (text: string): number => {
  let n = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
};

/** Cuts text to at most `max` characters (code points), never splitting a surrogate pair. */
export const truncateCodePoints = (text: string, max: number): string => {
  if (text.length <= max) return text;
  let count = 0;
  let end = 0;
  for (const ch of text) {
    if (count === max) break;
    count++;
    end += ch.length;
  }
  return text.slice(0, end);
};

/**
 * A string schema holding at most `max` characters counted as code points (zod's `.max` counts UTF-16
 * units, so 64 emoji would be 128); the JSON Schema says `maxLength`, which counts code points too.
 */
export const maxChars = (schema: z.ZodString, max: number): z.ZodString =>
  schema
    .refine((text) => text.length <= max || codePointLength(text) <= max, {
      error: `must be at most ${max} characters`,
    })
    .meta({ maxLength: max });
