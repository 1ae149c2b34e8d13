import { once } from 'node:events';
import { crc32, createDeflateRaw, deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';

/**
 * Hand-built .xlsx workbooks for tests and benches: a minimal zip writer (stored or deflated entries,
 * no zip64) that can also lie about an entry's size, and the few XML parts a workbook needs, so that
 * valid, messy and hostile workbooks are made byte by byte without committed binaries.
 */
export type ZipEntry = {
  readonly name: string;
  readonly data: Buffer;
  /** The entry's bytes as stored: deflated `data` unless given (a pre-deflated bomb). */
  readonly stored?: { readonly bytes: Buffer; readonly size: number; readonly crc: number };
  /** An uncompressed size to declare instead of the real one (a lying zip bomb). */
  readonly declaredSize?: number;
};

const u16 = (n: number): Buffer => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
};
const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
};

/** A zip archive of the entries, each deflated (method 8). */
export const zipArchive = (entries: readonly ZipEntry[]): Buffer => {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const bytes = entry.stored?.bytes ?? deflateRawSync(entry.data);
    const crc = entry.stored?.crc ?? crc32(entry.data);
    const size = entry.declaredSize ?? entry.stored?.size ?? entry.data.length;
    const common = Buffer.concat([
      u16(20),
      u16(0x0800),
      u16(8),
      u16(0),
      u16(0x21),
      u32(crc),
      u32(bytes.length),
      u32(size),
      u16(name.length),
      u16(0),
    ]);
    const local = Buffer.concat([u32(0x04034b50), common, name, bytes]);
    centrals.push(
      Buffer.concat([u32(0x02014b50), u16(20), common, u16(0), u16(0), u16(0), u32(0), u32(offset), name]),
    );
    locals.push(local);
    offset += local.length;
  }
  const central = Buffer.concat(centrals);
  const end = Buffer.concat([
    u32(0x06054b50),
    u16(0),
    u16(0),
    u16(entries.length),
    u16(entries.length),
    u32(central.length),
    u32(offset),
    u16(0),
  ]);
  return Buffer.concat([...locals, central, end]);
};

/**
 * Deflates the pieces as one entry's content, streaming (a bomb of gigabytes is never held whole): its
 * deflated bytes, inflated size and CRC, for `ZipEntry.stored`.
 */
export const deflatePieces = async (
  pieces: Iterable<string | Buffer>,
  level = 6,
): Promise<{ bytes: Buffer; size: number; crc: number }> => {
  const deflate = createDeflateRaw({ level });
  const out: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => out.push(chunk));
  const done = once(deflate, 'end');
  let size = 0;
  let crc = 0;
  for (const piece of pieces) {
    const bytes = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
    size += bytes.length;
    crc = crc32(bytes, crc);
    if (!deflate.write(bytes)) await once(deflate, 'drain');
  }
  deflate.end();
  await done;
  return { bytes: Buffer.concat(out), size, crc };
};

/** `head` then `size` bytes of `fill` (a byte), in 1 MiB pieces. */
export function* repeated(head: string, fill: number, size: number): Generator<string | Buffer> {
  yield head;
  const mib = Buffer.alloc(1 << 20, fill);
  for (let left = size; left > 0; left -= mib.length) yield left >= mib.length ? mib : mib.subarray(0, left);
}

/**
 * Writes rows to an .xlsx as Excel would hold them, streaming (exceljs's WorkbookWriter, shared
 * strings): strings as text, numbers as numbers, Dates as date cells formatted dd/mm/yyyy.
 */
export const writeXlsx = async (
  path: string,
  sheetName: string,
  rows: Iterable<readonly (string | number | boolean | Date | null)[]>,
): Promise<void> => {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: path,
    useSharedStrings: true,
    useStyles: true,
  });
  const sheet = workbook.addWorksheet(sheetName);
  for (const values of rows) {
    const row = sheet.addRow([...values]);
    values.forEach((value, i) => {
      if (value instanceof Date) row.getCell(i + 1).numFmt = 'dd/mm/yyyy';
    });
    row.commit();
  }
  sheet.commit();
  await workbook.commit();
};

const xmlEscape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>`;
const ROOT_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** A sheet's XML from its rows' XML (`<row>` elements). */
export const sheetXml = (rows: string): string =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}</sheetData></worksheet>`;

/** A cell as XML: `v` a shared-string index (t s), a number, an inline string, a boolean, an error. */
export const cellXml = (
  ref: string,
  cell: { t?: string; s?: number; v?: string; inline?: string },
): string => {
  const attrs = `r="${ref}"${cell.t ? ` t="${cell.t}"` : ''}${cell.s !== undefined ? ` s="${cell.s}"` : ''}`;
  if (cell.inline !== undefined)
    return `<c ${attrs}><is><t xml:space="preserve">${xmlEscape(cell.inline)}</t></is></c>`;
  return cell.v === undefined ? `<c ${attrs}/>` : `<c ${attrs}><v>${xmlEscape(cell.v)}</v></c>`;
};

/** Shared strings XML for a list of strings. */
export const sharedStringsXml = (strings: readonly string[]): string =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${strings.length}" uniqueCount="${strings.length}">${strings.map((s) => `<si><t xml:space="preserve">${xmlEscape(s)}</t></si>`).join('')}</sst>`;

/** styles.xml with these cell formats (number format ids, index = style `s`) and custom formats. */
export const stylesXml = (
  cellFormats: readonly number[],
  custom: Readonly<Record<number, string>> = {},
): string => {
  const numFmts = Object.entries(custom)
    .map(([id, code]) => `<numFmt numFmtId="${id}" formatCode="${xmlEscape(code)}"/>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${numFmts ? `<numFmts count="${Object.keys(custom).length}">${numFmts}</numFmts>` : ''}<cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs><cellXfs count="${cellFormats.length}">${cellFormats.map((id) => `<xf numFmtId="${id}" xfId="0"/>`).join('')}</cellXfs></styleSheet>`;
};

export type WorkbookParts = {
  /** Sheets in workbook order: name and XML (sheetXml), or a chart sheet. */
  readonly sheets: readonly {
    readonly name: string;
    readonly xml: string;
    readonly chart?: boolean;
    readonly hidden?: boolean;
  }[];
  readonly sharedStrings?: string;
  readonly styles?: string;
  readonly date1904?: boolean;
  /** More entries, e.g. xl/vbaProject.bin or xl/externalLinks/externalLink1.xml. */
  readonly extra?: readonly ZipEntry[];
};

/** The entries of a minimal workbook. */
export const workbookEntries = (parts: WorkbookParts): ZipEntry[] => {
  const text = (name: string, xml: string): ZipEntry => ({ name, data: Buffer.from(xml, 'utf8') });
  const rels = parts.sheets.map(
    (s, i) =>
      `<Relationship Id="rId${i + 1}" Type="${REL}/${s.chart ? 'chartsheet' : 'worksheet'}" Target="${s.chart ? 'chartsheets' : 'worksheets'}/sheet${i + 1}.xml"/>`,
  );
  if (parts.sharedStrings)
    rels.push(`<Relationship Id="rIdS" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/>`);
  if (parts.styles) rels.push(`<Relationship Id="rIdY" Type="${REL}/styles" Target="styles.xml"/>`);
  const workbook = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="${REL}"><workbookPr${parts.date1904 ? ' date1904="1"' : ''}/><sheets>${parts.sheets.map((s, i) => `<sheet name="${xmlEscape(s.name)}" sheetId="${i + 1}"${s.hidden ? ' state="hidden"' : ''} r:id="rId${i + 1}"/>`).join('')}</sheets></workbook>`;
  return [
    text('[Content_Types].xml', CONTENT_TYPES),
    text('_rels/.rels', ROOT_RELS),
    text('xl/workbook.xml', workbook),
    text(
      'xl/_rels/workbook.xml.rels',
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels.join('')}</Relationships>`,
    ),
    ...parts.sheets.map((s, i) =>
      text(`xl/${s.chart ? 'chartsheets' : 'worksheets'}/sheet${i + 1}.xml`, s.xml),
    ),
    ...(parts.sharedStrings ? [text('xl/sharedStrings.xml', parts.sharedStrings)] : []),
    ...(parts.styles ? [text('xl/styles.xml', parts.styles)] : []),
    ...(parts.extra ?? []),
  ];
};

/** A minimal workbook as bytes. */
export const workbookBytes = (parts: WorkbookParts): Buffer => zipArchive(workbookEntries(parts));
