/** Where a UTF-8 scan found the first byte that is not valid UTF-8: the 1-based line it is on. */
export type Utf8ScanResult = { readonly sawMultibyte: boolean; readonly firstInvalidLine?: number };

/**
 * A streaming UTF-8 validator that also says whether any valid multi-byte sequence was seen: the
 * difference between a Windows-1252 file (no valid sequence) and a UTF-8 file with stray bytes in it.
 * It follows the WHATWG decoder's rules (no overlong forms, no surrogates, at most U+10FFFF) and counts
 * LF bytes so that it can name the line of the first bad byte. Used only once a file is known not to
 * be valid UTF-8, so its byte loop in JavaScript never runs for the common, valid file.
 */
export const createUtf8Scan = (startLine: number) => {
  let line = startLine;
  let need = 0;
  let lower = 0x80;
  let upper = 0xbf;
  let sawMultibyte = false;
  let firstInvalidLine: number | undefined;
  const invalid = (): void => {
    firstInvalidLine ??= line;
  };
  const start = (b: number): void => {
    if (b < 0x80) {
      if (b === 0x0a) line++;
    } else if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lower = 0xa0;
      if (b === 0xed) upper = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lower = 0x90;
      if (b === 0xf4) upper = 0x8f;
    } else invalid();
  };
  return {
    /** Scans the next bytes of the stream. */
    write(bytes: Uint8Array): void {
      for (let i = 0; i < bytes.length; i++) {
        const b = bytes[i] as number;
        if (need === 0) {
          start(b);
          continue;
        }
        if (b < lower || b > upper) {
          // The sequence is cut short: that is the bad byte's place, and b starts afresh.
          invalid();
          need = 0;
          lower = 0x80;
          upper = 0xbf;
          start(b);
          continue;
        }
        lower = 0x80;
        upper = 0xbf;
        if (--need === 0) sawMultibyte = true;
      }
    },
    /** The outcome so far; `end` says the stream is over, so that a sequence left open is invalid. */
    result(end = false): Utf8ScanResult {
      if (end && need > 0) invalid();
      return firstInvalidLine === undefined ? { sawMultibyte } : { sawMultibyte, firstInvalidLine };
    },
  };
};

/**
 * The bytes at the end of `tail` that begin a multi-byte sequence not yet complete: a decoder holds them
 * back, so a scan that takes over from it must start with them.
 */
export const openSequence = (tail: Uint8Array): Uint8Array => {
  for (let i = tail.length - 1; i >= 0 && i >= tail.length - 3; i--) {
    const b = tail[i] as number;
    if ((b & 0xc0) === 0x80) continue;
    const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return length > tail.length - i ? tail.subarray(i) : tail.subarray(tail.length);
  }
  return tail.subarray(tail.length);
};

/**
 * How many LF bytes `bytes` holds before `end`. A plain loop: `Buffer#indexOf` once per line measured
 * about 45 MB more peak RSS over the 1M-row chain (npm run bench), for no gain in time worth having.
 */
export const countLf = (bytes: Uint8Array, end = bytes.length): number => {
  let n = 0;
  for (let i = 0; i < end; i++) if (bytes[i] === 0x0a) n++;
  return n;
};
