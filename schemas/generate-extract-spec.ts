import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { updateSpecDoc } from './extract/spec-doc.ts';

/** Path of the extract specification whose tables are generated from the column specs. */
export const SPEC_DOC_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'extract-spec.md');

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const doc = await readFile(SPEC_DOC_PATH, 'utf8');
  await writeFile(SPEC_DOC_PATH, updateSpecDoc(doc), 'utf8');
  process.stdout.write(`Updated the generated tables of ${SPEC_DOC_PATH}\n`);
}
