import { FileRejectedError } from '../../shared/errors.ts';
import { type DateKind, dateKindOfFormatId } from './cell-values.ts';
import { unescapeXstring } from './sheet.ts';
import { XLSX_LIMITS } from './xlsx-limits.ts';
import { parseXmlPart } from './xml.ts';
import { shownName, type WorkbookZip } from './zip.ts';

/** A sheet of a workbook, in workbook order. */
export type SheetRef = {
  readonly name: string;
  readonly part: string | undefined;
  readonly worksheet: boolean;
  /** Hidden (or very hidden) in Excel: not taken as "the first sheet". */
  readonly hidden: boolean;
};

/** What workbook.xml and its relationships say. */
export type WorkbookInfo = {
  readonly sheets: readonly SheetRef[];
  readonly date1904: boolean;
  readonly sharedStringsPart: string | undefined;
  readonly stylesPart: string | undefined;
  readonly externalLinks: boolean;
};

const REL_TYPE = /\/(worksheet|chartsheet|dialogsheet|macrosheet|sharedStrings|styles|externalLink)$/;

/** Reads a small part whole, bounded by XLSX_LIMITS.maxSmallPartBytes. */
async function* bounded(zip: WorkbookZip, part: string, file: string): AsyncGenerator<Uint8Array> {
  let size = 0;
  for await (const chunk of zip.read(part)) {
    size += chunk.length;
    if (size > XLSX_LIMITS.maxSmallPartBytes) {
      throw new FileRejectedError(
        'CORRUPT_XLSX',
        `The workbook part ${shownName(part)} is larger than ${XLSX_LIMITS.maxSmallPartBytes} bytes, more than Excel writes`,
        { context: { file } },
      );
    }
    yield chunk;
  }
}

const drain = async (events: AsyncIterable<void>): Promise<void> => {
  for await (const _ of events);
};

/** A relationship target resolved against the folder of the part that names it (`xl/`). */
const resolveTarget = (base: string, target: string): string => {
  if (target.startsWith('/')) return target.slice(1);
  const parts = base.split('/').filter(Boolean);
  for (const piece of target.split('/')) {
    if (piece === '..') parts.pop();
    else if (piece !== '.' && piece !== '') parts.push(piece);
  }
  return parts.join('/');
};

/** The workbook part: from the package relationships (`_rels/.rels`), else `xl/workbook.xml`. */
const workbookPart = async (zip: WorkbookZip, file: string): Promise<string | undefined> => {
  let found: string | undefined;
  if (zip.has('_rels/.rels')) {
    await drain(
      parseXmlPart(bounded(zip, '_rels/.rels', file), '_rels/.rels', file, {
        open: (name, a) => {
          if (name === 'Relationship' && /\/officeDocument$/.test(a.Type ?? '') && a.Target && !found)
            found = resolveTarget('', a.Target);
        },
      }),
    );
  }
  if (found && zip.has(found)) return found;
  return zip.has('xl/workbook.xml') ? 'xl/workbook.xml' : undefined;
};

/**
 * Reads workbook.xml (its sheets in order, the 1904 date system) and its relationships (each sheet's
 * part, the shared strings, the styles, any external links). Throws `NOT_XLSX` for a zip without a workbook.
 */
export const readWorkbookInfo = async (zip: WorkbookZip, file: string): Promise<WorkbookInfo> => {
  const part = await workbookPart(zip, file);
  if (!part) {
    throw new FileRejectedError(
      'NOT_XLSX',
      'The file is a zip archive but not an Excel workbook (it has no xl/workbook.xml); save the sheet from Excel as "Excel Workbook (.xlsx)"',
      { context: { file } },
    );
  }
  const folder = part.includes('/') ? part.slice(0, part.lastIndexOf('/') + 1) : '';
  const relsPart = `${folder}_rels/${part.slice(folder.length)}.rels`;
  const rels = new Map<string, { type: string; target: string }>();
  if (zip.has(relsPart)) {
    await drain(
      parseXmlPart(bounded(zip, relsPart, file), relsPart, file, {
        open: (name, a) => {
          if (name !== 'Relationship' || !a.Id) return;
          const type = REL_TYPE.exec(a.Type ?? '')?.[1] ?? '';
          const external = a.TargetMode === 'External';
          rels.set(a.Id, { type, target: external ? '' : resolveTarget(folder, a.Target ?? '') });
        },
      }),
    );
  }
  const sheets: SheetRef[] = [];
  let date1904 = false;
  await drain(
    parseXmlPart(bounded(zip, part, file), part, file, {
      open: (name, a) => {
        if (name === 'workbookPr') date1904 = a.date1904 === '1' || a.date1904 === 'true';
        if (name === 'sheet') {
          const id = Object.entries(a).find(([key]) => key === 'id' || key.endsWith(':id'))?.[1];
          const rel = id === undefined ? undefined : rels.get(id);
          sheets.push({
            name: a.name ?? '',
            part: rel?.target || undefined,
            worksheet: rel?.type === 'worksheet',
            hidden: a.state === 'hidden' || a.state === 'veryHidden',
          });
        }
      },
    }),
  );
  const byType = (type: string) => [...rels.values()].find((r) => r.type === type)?.target;
  const sharedStringsPart =
    byType('sharedStrings') ??
    (zip.has(`${folder}sharedStrings.xml`) ? `${folder}sharedStrings.xml` : undefined);
  const stylesPart = byType('styles') ?? (zip.has(`${folder}styles.xml`) ? `${folder}styles.xml` : undefined);
  const externalLinks =
    [...rels.values()].some((r) => r.type === 'externalLink') ||
    zip.names.some((n) => n.includes('externallinks/'));
  return { sheets, date1904, sharedStringsPart, stylesPart, externalLinks };
};

/**
 * Reads styles.xml: for each cell style index (`s`), whether its number format shows a date (built-in
 * formats 14–22, 45–47 and locale dates; custom formats with d/m/y or h/s tokens).
 */
export const readDateStyles = async (
  zip: WorkbookZip,
  part: string | undefined,
  file: string,
): Promise<readonly DateKind[]> => {
  if (!part || !zip.has(part)) return [];
  const custom = new Map<number, string>();
  const formats: number[] = [];
  let inCellXfs = false;
  await drain(
    parseXmlPart(bounded(zip, part, file), part, file, {
      open: (name, a) => {
        if (name === 'numFmt') custom.set(Number(a.numFmtId), a.formatCode ?? '');
        else if (name === 'cellXfs') inCellXfs = true;
        else if (name === 'xf' && inCellXfs) formats.push(Number(a.numFmtId ?? 0));
      },
      close: (name) => {
        if (name === 'cellXfs') inCellXfs = false;
      },
    }),
  );
  return formats.map((id) => dateKindOfFormatId(id, custom));
};

/**
 * A workbook's shared strings, held compactly: their UTF-8 bytes in 4 MiB slabs and each string's
 * place in two typed arrays, bounded by XLSX_LIMITS (count and bytes).
 */
export type SharedStrings = { readonly count: number; readonly get: (index: number) => string | undefined };

const SLAB_BYTES = 4 * 1024 * 1024;

export const readSharedStrings = async (
  zip: WorkbookZip,
  part: string | undefined,
  file: string,
): Promise<SharedStrings> => {
  if (!part || !zip.has(part)) return { count: 0, get: () => undefined };
  const tooMany = (what: string): never => {
    throw new FileRejectedError(
      'SHARED_STRINGS_TOO_LARGE',
      `The workbook's shared strings (its table of text values) hold more than ${what}, more than one extract needs; split the data into several files or save it as CSV`,
      { context: { file } },
    );
  };
  const slabs: Buffer[] = [];
  let slab = Buffer.allocUnsafe(SLAB_BYTES);
  let used = 0;
  let total = 0;
  let starts = new Float64Array(1024);
  let lengths = new Uint32Array(1024);
  let count = 0;
  // The text of the current <si>: its <t> elements, less phonetic runs (<rPh>).
  let text = '';
  let inT = false;
  let inPhonetic = false;
  const add = (value: string): void => {
    if (count >= XLSX_LIMITS.maxSharedStrings) tooMany(`${XLSX_LIMITS.maxSharedStrings} strings`);
    const bytes = Buffer.byteLength(value);
    total += bytes;
    if (total > XLSX_LIMITS.maxSharedStringBytes)
      tooMany(`${XLSX_LIMITS.maxSharedStringBytes} bytes of text`);
    if (count === starts.length) {
      const nextStarts = new Float64Array(count * 2);
      nextStarts.set(starts);
      starts = nextStarts;
      const nextLengths = new Uint32Array(count * 2);
      nextLengths.set(lengths);
      lengths = nextLengths;
    }
    if (used + bytes > slab.length) {
      slabs.push(slab.subarray(0, used));
      slab = Buffer.allocUnsafe(Math.max(SLAB_BYTES, bytes));
      used = 0;
    }
    slab.write(value, used);
    starts[count] = slabs.length * 2 ** 32 + used;
    lengths[count] = bytes;
    used += bytes;
    count++;
  };
  await drain(
    parseXmlPart(zip.read(part), part, file, {
      open: (name) => {
        if (name === 'si') text = '';
        else if (name === 't') inT = true;
        else if (name === 'rPh') inPhonetic = true;
      },
      close: (name) => {
        if (name === 't') inT = false;
        else if (name === 'rPh') inPhonetic = false;
        else if (name === 'si') add(unescapeXstring(text));
      },
      text: (t) => {
        if (inT && !inPhonetic) {
          text += t;
          if (text.length > XLSX_LIMITS.maxXmlTokenBytes) tooMany('a string that long');
        }
      },
    }),
  );
  slabs.push(slab.subarray(0, used));
  return {
    count,
    get: (index) => {
      if (!(Number.isInteger(index) && index >= 0 && index < count)) return undefined;
      const start = starts[index] as number;
      const which = Math.floor(start / 2 ** 32);
      const at = start - which * 2 ** 32;
      return (slabs[which] as Buffer).toString('utf8', at, at + (lengths[index] as number));
    },
  };
};
