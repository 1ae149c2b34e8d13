/**
 * Control characters (C0, DEL, C1), invisible formatting characters (bidi overrides and isolates,
 * zero-width space and joiners, BOM) and line or paragraph separators.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;

/**
 * Text from a file made safe to show: every control or invisible formatting character is written as
 * `\u{XXXX}`, so that a terminal runs no escape sequence (window title, clear screen, colours), bidi
 * overrides reorder nothing, and a zero-width space in a header can be seen. Optionally clipped to
 * `max` characters (code points), ending `…`.
 */
export const visibleText = (text: string, max = Number.POSITIVE_INFINITY): string => {
  let out = text.replace(INVISIBLE, (ch) => `\\u{${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase()}}`);
  if (out.length > max) {
    const points = Array.from(out);
    if (points.length > max) out = `${points.slice(0, max - 1).join('')}…`;
  }
  return out;
};
