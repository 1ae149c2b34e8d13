import { columnForHeader } from '../../schemas/normalise/headers.ts';
import { RECORD_TYPES } from '../../schemas/record-types.ts';
import { visibleText } from '../shared/visible-text.ts';

/** The header is shown in messages up to this many characters. */
const SHOWN_HEADER_CHARS = 200;

const SEPARATORS: readonly { char: string; name: string; advice: string }[] = [
  {
    char: ';',
    name: 'semicolon-separated (;)',
    advice:
      'a spreadsheet set to a European list separator writes that; save it as "CSV UTF-8 (Comma delimited)" with commas',
  },
  {
    char: '\t',
    name: 'tab-separated',
    advice:
      'Excel\'s "Unicode text" (UTF-16) export writes that; save it as "CSV UTF-8 (Comma delimited)" instead',
  },
  { char: '|', name: 'pipe-separated (|)', advice: 'the file must be comma-separated' },
];

/** Whether a header cell is a column name of some record type (or several, joined by ; tab or |). */
const isColumnName = (cell: string): boolean => {
  const known = (part: string) => RECORD_TYPES.some((type) => columnForHeader(type, part) !== undefined);
  if (cell.trim() === '' || known(cell)) return true;
  const parts = cell.split(/[;\t|]/);
  return parts.length > 1 && parts.every((part) => part.trim() === '' || known(part));
};

/**
 * The header as read, for a message: cells joined with commas, invisible characters shown, clipped. A cell
 * that is no column name of any record type is shown as `?`: a file without a header has a data row
 * there, and record content never goes into a report.
 */
export const shownHeader = (cells: readonly string[]): string => {
  const shown = cells.map((cell) => (isColumnName(cell) ? cell : '?'));
  const note = shown.includes('?') ? ' (? = not a column name, not shown)' : '';
  return `"${visibleText(shown.join(','), SHOWN_HEADER_CHARS)}"${note}`;
};

/**
 * What a header that lacks required columns probably is: a `sep=` line, a header separated by another
 * character, or (when a later record `line` would be a good header) a title row above the header;
 * `lineWord` is what the file's lines are called (a sheet's are rows).
 * Empty when nothing is recognised.
 */
export const headerHint = (
  cells: readonly string[],
  goodHeaderLine?: number,
  lineWord: 'Line' | 'Row' = 'Line',
): string => {
  const line = cells.join(',');
  if (/^sep=/i.test(cells[0] ?? '')) {
    return ` The first line is "${visibleText(line, 8)}", a hint some tools write for Excel: remove that line so that the header comes first.`;
  }
  for (const s of SEPARATORS) {
    if (cells.length <= 2 && line.split(s.char).length >= 3) {
      return ` The header looks ${s.name}, not comma-separated: ${s.advice}.`;
    }
  }
  if (goodHeaderLine !== undefined) {
    return ` ${lineWord} ${goodHeaderLine} looks like the header: remove the title row(s) above it, so that the header is the first ${lineWord.toLowerCase()}.`;
  }
  return '';
};
