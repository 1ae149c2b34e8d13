/**
 * Duplicate keys in a JSON Lines line. `JSON.parse` keeps the last of two equal keys silently, so
 * `{"org":"A","org":"B"}` would read as `{"org":"B"}`; these helpers see the keys as written. They take
 * text that `JSON.parse` has already accepted as an object, so they need not check its syntax.
 */

const QUOTE = 34;
const BACKSLASH = 92;

/** The index of the quote that closes the string opening at `open`. */
const stringEnd = (line: string, open: number): number => {
  let j = line.indexOf('"', open + 1);
  for (;;) {
    let k = j - 1;
    while (line.charCodeAt(k) === BACKSLASH) k--;
    if ((j - 1 - k) % 2 === 0) return j;
    j = line.indexOf('"', j + 1);
  }
};

/** Whether the next character after `from` that is not JSON whitespace is a colon. */
const colonFollows = (line: string, from: number): boolean => {
  for (let i = from; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 58) return true;
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return false;
  }
  return false;
};

/** Calls `onKey` with the raw text (escapes kept) of each key of the top-level object. */
const eachTopLevelKey = (line: string, onKey: (raw: string) => void): void => {
  let depth = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(line, i);
      if (depth === 1 && colonFollows(line, end + 1)) onKey(line.slice(i + 1, end));
      i = end;
    } else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) depth--;
  }
};

/** How many keys the top-level object of a line names, duplicates included. */
export const countTopLevelKeys = (line: string): number => {
  let n = 0;
  eachTopLevelKey(line, () => {
    n++;
  });
  return n;
};

/** The keys the top-level object of a line names more than once, decoded, in order of first repeat. */
export const duplicateTopLevelKeys = (line: string): string[] => {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  eachTopLevelKey(line, (raw) => {
    const key = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
    if (seen.has(key)) duplicates.add(key);
    seen.add(key);
  });
  return [...duplicates];
};
