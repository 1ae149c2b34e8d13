import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { updateQueryDoc } from './query/query-doc.ts';

/** Path of the SQL guide whose table lists are generated from the zod schemas. */
export const QUERY_DOC_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'query.md');

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const doc = await readFile(QUERY_DOC_PATH, 'utf8');
  await writeFile(QUERY_DOC_PATH, updateQueryDoc(doc), 'utf8');
  process.stdout.write(`Updated the generated tables of ${QUERY_DOC_PATH}\n`);
}
