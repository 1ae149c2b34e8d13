/** Decodes UTF-8 bytes to text, chunk by chunk, keeping characters split across chunks whole. */
export async function* decodeUtf8(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of bytes) {
    const text = decoder.decode(chunk, { stream: true });
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

/** Splits text into lines on LF (a trailing CR is dropped, so CRLF works too), numbering them from 1. */
export async function* splitLines(
  text: AsyncIterable<string>,
): AsyncGenerator<{ lineNumber: number; line: string }> {
  let buffer = '';
  let lineNumber = 0;
  for await (const chunk of text) {
    buffer += chunk;
    let start = 0;
    for (let nl = buffer.indexOf('\n', start); nl !== -1; nl = buffer.indexOf('\n', start)) {
      lineNumber++;
      yield { lineNumber, line: buffer.slice(start, nl).replace(/\r$/, '') };
      start = nl + 1;
    }
    buffer = buffer.slice(start);
  }
  if (buffer.length > 0) yield { lineNumber: lineNumber + 1, line: buffer.replace(/\r$/, '') };
}

/** Like `splitLines`, but yields the complete lines of each chunk of text as one batch. */
export async function* splitLineBatches(
  text: AsyncIterable<string>,
  maxLineChars = Number.POSITIVE_INFINITY,
  tooLong: () => Error = () => new RangeError(`A line is longer than ${maxLineChars} characters`),
): AsyncGenerator<{ lineNumber: number; line: string }[]> {
  let buffer = '';
  let lineNumber = 0;
  for await (const chunk of text) {
    buffer += chunk;
    const lines: { lineNumber: number; line: string }[] = [];
    let start = 0;
    for (let nl = buffer.indexOf('\n', start); nl !== -1; nl = buffer.indexOf('\n', start)) {
      lineNumber++;
      const end = nl > start && buffer.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      lines.push({ lineNumber, line: buffer.slice(start, end) });
      start = nl + 1;
    }
    buffer = buffer.slice(start);
    if (buffer.length > maxLineChars) throw tooLong();
    if (lines.length > 0) yield lines;
  }
  if (buffer.length > 0) yield [{ lineNumber: lineNumber + 1, line: buffer.replace(/\r$/, '') }];
}
