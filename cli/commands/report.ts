import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { type Command, InvalidArgumentError } from 'commander';
import { createAwsClients } from '../../functions/shared/aws/clients.ts';
import { visibleText } from '../../functions/shared/visible-text.ts';
import { ReportJsonSchema } from '../../schemas/cli/json-output.ts';
import type { OrgCode } from '../../schemas/index.ts';
import { printJson } from '../json.ts';
import { orgOption } from '../options.ts';
import { writeCsvReport, writeXlsxReport } from '../report-files.ts';
import { reportEntries } from '../report-view.ts';
import { resolveResources } from '../resources.ts';
import { readStatus } from '../upload-statuses.ts';
import { notesStream, QUIET_HELP } from '../verbosity.ts';

const FORMATS = ['csv', 'xlsx', 'json'] as const;
type Format = (typeof FORMATS)[number];

const formatOption = (value: string): Format => {
  if (!(FORMATS as readonly string[]).includes(value))
    throw new InvalidArgumentError('expected csv, xlsx or json');
  return value as Format;
};

/**
 * `msht report UPLOAD_ID --org ORG`: the rejection report of an upload, as the organisation's own role
 * reads it, saved as a file a data team opens in Excel (CSV with a BOM, or a workbook) or as JSON.
 */
export const registerReportCommand = (program: Command): void => {
  program
    .command('report')
    .summary('save the rejection report of an upload (csv, xlsx, json)')
    .description(
      "Save the rejection report of an upload, read with your organisation's role from " +
        'reports/{org}/{uploadId}.json: CSV (UTF-8 with a byte order mark, so Excel reads it), an Excel ' +
        'workbook (a Summary sheet with the counts by code, an Issues sheet with one row per issue) or the ' +
        'JSON itself. Each issue gives the line of your file (the header is line 1), the source_record_ref, ' +
        'the field, the code, what to do and the value; the first row says the upload’s status and, for a ' +
        'file refused or quarantined as a whole, why.',
    )
    .argument('<uploadId>', 'the upload id, as msht upload prints it')
    .requiredOption('--org <org>', 'your organisation (code or name)', orgOption)
    .option('--format <format>', 'csv, xlsx or json', formatOption, 'csv')
    .option('--out <file>', 'where to save it (default: {uploadId}-report.{format})')
    .option('--stage <stage>', 'deployment stage whose resources to use', 'dev')
    .option(
      '--json',
      'also print where it was saved as one JSON document (schemas/json/cli-report.schema.json)',
    )
    .option('--quiet', QUIET_HELP)
    .addHelpText(
      'after',
      '\nExit status:\n' +
        '  0  saved\n' +
        '  1  no such upload, or it has no report yet (still being read)\n' +
        '  2  the arguments are wrong\n' +
        '  4  could not run (no AWS region or credentials, endpoint not answering, reports not readable with these credentials)\n' +
        '\nExamples:\n' +
        '  npx msht report u3f2c... --org PF-E23000001 --format xlsx\n' +
        '  npx msht report u3f2c... --org MET --out subjects-report.csv',
    )
    .action(
      async (
        uploadId: string,
        opts: { org: OrgCode; format: Format; out?: string; stage: string; json?: boolean; quiet?: boolean },
      ) => {
        const resources = resolveResources(opts.stage);
        const { s3 } = createAwsClients();
        const upload = await readStatus(s3, resources.bucket, opts.org, uploadId);
        if (!upload) {
          process.stderr.write(`No upload ${visibleText(uploadId)} of ${opts.org}.\n`);
          process.exitCode = 1;
          return;
        }
        if (upload.status === 'RECEIVED' || upload.status === 'PROCESSING') {
          process.stderr.write(
            `Upload ${visibleText(uploadId)} is ${upload.status}: its report is not finished yet.\n`,
          );
          process.exitCode = 1;
          return;
        }
        const out = opts.out ?? `${uploadId}-report.${opts.format}`;
        const entries = reportEntries(s3, resources.bucket, upload);
        let issues: number;
        if (opts.format === 'csv') issues = await writeCsvReport(out, upload, entries);
        else if (opts.format === 'xlsx') issues = await writeXlsxReport(out, upload, entries);
        else {
          const file = createWriteStream(out);
          issues = 0;
          file.write(`${JSON.stringify({ upload, entries: [] }).slice(0, -2)}`);
          for await (const entry of entries) {
            file.write(`${issues === 0 ? '' : ','}\n${JSON.stringify(entry)}`);
            issues++;
          }
          file.end('\n]}\n');
          await once(file, 'finish');
        }
        notesStream(opts.quiet).write(`Saved ${visibleText(out)}: ${upload.status}, ${issues} issue(s).\n`);
        if (opts.json)
          printJson(ReportJsonSchema, {
            schemaVersion: 1,
            kind: 'msht.report',
            uploadId,
            org: opts.org,
            status: upload.status,
            format: opts.format,
            file: out,
            issues,
          });
      },
    );
};
