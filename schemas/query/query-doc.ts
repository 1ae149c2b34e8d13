import { type Column, docType } from './columns.ts';
import { columnNames, QUERY_TABLES, QUERY_VIEWS } from './tables.ts';

export const QUERY_DOC_BEGIN = '<!-- BEGIN GENERATED: query tables (node schemas/generate-query-doc.ts) -->';
export const QUERY_DOC_END = '<!-- END GENERATED: query tables -->';

const cell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** Struct fields flattened to dotted names, so every field a query can reach is listed. */
const rowsOf = (columns: readonly Column[], parent = ''): string[] =>
  columns.flatMap((column) => {
    const name = `${parent}${column.name}`;
    const row = `| \`${name}\` | ${docType(column.type)} | ${column.required ? 'yes' : ''} | ${cell(column.description ?? '')} |`;
    const nested =
      column.type.kind === 'struct'
        ? column.type.fields
        : column.type.kind === 'array' && column.type.of.kind === 'struct'
          ? column.type.of.fields
          : undefined;
    return nested === undefined ? [row] : [row, ...rowsOf(nested, `${name}.`)];
  });

/** The generated part of docs/query.md: each table's columns (from its zod schema) and each view. */
export const renderQueryTables = (): string =>
  [
    QUERY_DOC_BEGIN,
    '',
    ...QUERY_TABLES.flatMap((table) => [
      `### \`${table.name}\``,
      '',
      `${table.title}. Files: \`${table.prefix}${table.partitions.map((p) => `${p}={${p}}/`).join('')}*.jsonl.gz\`; ` +
        `partition columns ${table.partitions.map((p) => `\`${p}\``).join(', ')} (text).` +
        (table.record === undefined ? '' : ` One row per record of every upload (every version).`),
      '',
      '| column | type | always present | meaning |',
      '| --- | --- | --- | --- |',
      ...rowsOf(table.columns),
      ...table.partitions.map((p) => `| \`${p}\` | string (partition) | yes | from the object key |`),
      '',
    ]),
    '### Views',
    '',
    '| view | columns | what it keeps |',
    '| --- | --- | --- |',
    ...QUERY_VIEWS.map((view) => {
      const table = QUERY_TABLES.find((t) => t.name === view.from);
      return `| \`${view.name}\` | those of \`${view.from}\` (${table ? columnNames(table).length : 0}) | ${cell(view.title)} |`;
    }),
    '',
    'The views, as both engines run them:',
    '',
    '```sql',
    ...QUERY_VIEWS.map((view) => `CREATE VIEW ${view.name} AS ${view.sql};`),
    '```',
    '',
    QUERY_DOC_END,
  ].join('\n');

/** Replaces the generated part of docs/query.md (between the markers) with the current tables. */
export const updateQueryDoc = (doc: string): string => {
  const start = doc.indexOf(QUERY_DOC_BEGIN);
  const end = doc.indexOf(QUERY_DOC_END);
  if (start < 0 || end < start) throw new Error('query.md lacks the generated-section markers');
  return `${doc.slice(0, start)}${renderQueryTables()}${doc.slice(end + QUERY_DOC_END.length)}`;
};
