import type { Command } from 'commander';
import { loadIngestLimits } from '../../functions/ingest/limits.ts';
import { visibleText } from '../../functions/shared/visible-text.ts';
import { ValidateJsonSchema } from '../../schemas/cli/json-output.ts';
import type { IsoMonth, OrgCode } from '../../schemas/index.ts';
import { readable } from '../errors.ts';
import { printJson } from '../json.ts';
import { currentMonth, monthOption, orgOption } from '../options.ts';
import { validateFile } from '../validate-file.ts';

/** `msht validate FILE --org CODE`: checks a file offline with exactly the ingest code. */
export const registerValidateCommand = (program: Command): void => {
  program
    .command('validate')
    .summary('check an extract offline, as ingest would')
    .description(
      'Check an extract file offline with exactly the code ingest runs, print a summary and write the ' +
        'rejection report.',
    )
    .argument(
      '<file>',
      'a .csv or .jsonl extract (optionally .gz) or an .xlsx workbook, named as docs/extract-spec.md says',
    )
    .requiredOption(
      '--org <org>',
      'organisation sending the file: code or name, e.g. PF-E23000001 or MET',
      orgOption,
    )
    .option('--period <YYYY-MM>', 'month the extract covers (default: this month)', monthOption)
    .option('--report <path>', 'where to write the report, without extension (default: FILE.report)')
    .option('--json', 'print the outcome as one JSON document (schemas/json/cli-validate.schema.json)')
    .addHelpText(
      'after',
      '\nExit status:\n' +
        '  0  every row accepted\n' +
        '  1  some rows rejected (all in the report)\n' +
        '  2  the file itself rejected, or so many rows rejected that ingest would quarantine it\n' +
        '     (see MSHT_INGEST_MAX_REJECTED_SHARE)\n' +
        '  4  could not run (the file unreadable, the report not writable)\n' +
        '\nExample:\n  npx msht validate subjects.csv --org PF-E23000001 --period 2026-10',
    )
    .action(
      async (file: string, opts: { org: OrgCode; period?: IsoMonth; report?: string; json?: boolean }) => {
        const period = opts.period ?? currentMonth();
        await readable(file);
        const reportBase = opts.report ?? `${file}.report`;
        const result = await validateFile(file, {
          limits: loadIngestLimits(),
          org: opts.org,
          period,
          reportBase,
          now: () => new Date().toISOString(),
        });
        // The file's name and the messages (which may quote its header) are escaped for the terminal.
        const shown = visibleText(file);
        const reportShown = visibleText(reportBase);
        if (opts.json) {
          const base = {
            schemaVersion: 1,
            kind: 'msht.validate',
            file,
            org: opts.org,
            period,
            report: { json: `${reportBase}.json`, csv: `${reportBase}.csv` },
          } as const;
          if (result.kind === 'file-rejected') {
            printJson(ValidateJsonSchema, {
              ...base,
              outcome: 'FILE_REJECTED',
              failure: { code: result.code, message: result.message },
            });
            process.exitCode = 2;
            return;
          }
          const { counts, issueCounts } = result.outcome;
          const outcome = result.quarantine
            ? 'WOULD_QUARANTINE'
            : counts.rejected > 0
              ? 'ROWS_REJECTED'
              : 'ACCEPTED';
          printJson(ValidateJsonSchema, {
            ...base,
            outcome,
            counts: {
              rows: counts.rows,
              accepted: counts.accepted,
              warnings: counts.warnings,
              rejected: counts.rejected,
            },
            issueCounts: { ...issueCounts },
            encoding: result.encoding,
            sha256: result.sha256,
            ...(result.quarantine
              ? { failure: { code: result.quarantine.code, message: result.quarantine.message } }
              : {}),
          });
          process.exitCode = outcome === 'ACCEPTED' ? 0 : outcome === 'ROWS_REJECTED' ? 1 : 2;
          return;
        }
        if (result.kind === 'file-rejected') {
          process.stderr.write(
            `${shown}: REJECTED as a whole [${result.code}] ${visibleText(result.message)}\n`,
          );
          process.stderr.write(`Report: ${reportShown}.json and ${reportShown}.csv\n`);
          process.exitCode = 2;
          return;
        }
        const { counts, issueCounts } = result.outcome;
        process.stdout.write(
          `${shown}: ${counts.rows} rows, ${counts.accepted} accepted (${counts.warnings} with warnings), ` +
            `${counts.rejected} rejected; ${result.encoding}, sha256 ${result.sha256}\n`,
        );
        for (const [code, n] of Object.entries(issueCounts).sort()) process.stdout.write(`  ${code}: ${n}\n`);
        process.stdout.write(`Report: ${reportShown}.json and ${reportShown}.csv\n`);
        if (result.quarantine) {
          process.stderr.write(
            `${shown}: would be QUARANTINED [${result.quarantine.code}] ${visibleText(result.quarantine.message)}\n`,
          );
          process.exitCode = 2;
          return;
        }
        process.exitCode = counts.rejected > 0 ? 1 : 0;
      },
    );
};
