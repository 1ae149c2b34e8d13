import { z } from 'zod';

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
 * A string schema of 1 to `max` characters counted as code points (zod's `.max` counts UTF-16 units, so
 * 64 emoji would be 128), optionally without control characters. The limit is a regular expression
 * with the `u` flag, whose quantifier counts code points, as JSON Schema `maxLength` does (a refinement
 * would cost the record schema its fast path: about a fifth of the normaliser's time).
 */
export const charsSchema = (max: number, options: { noControl?: boolean } = {}): z.ZodString =>
  z
    .string()
    .regex(
      new RegExp(`^${options.noControl ? String.raw`[^\p{Cc}]` : String.raw`[\s\S]`}{1,${max}}$`, 'u'),
      options.noControl
        ? `must be 1 to ${max} characters, none of them a control character`
        : `must be 1 to ${max} characters`,
    )
    .meta({ minLength: 1, maxLength: max });

/**
 * A copy of `text` that shares no memory with the string it was cut from. V8 keeps a slice of a long
 * string as a view of it, so a 64-character name kept from a 600 KB key would keep the whole key alive.
 * For short texts that outlive the row they came from (column names listed in a report).
 */
export const detachedCopy = (text: string): string => [...text].join('');
