import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { inspectObject } from '../functions/ingest/inspect.ts';
import { DEFAULT_LIMITS, type IngestLimits } from '../functions/ingest/limits.ts';
import { type FileOutcome, processFile } from '../functions/ingest/process-file.ts';
import { type QuarantineReason, quarantineVerdict } from '../functions/ingest/quarantine.ts';
import { createReportWriter } from '../functions/ingest/report.ts';
import { streamSink, type TextSink } from '../functions/ingest/text-sink.ts';
import { FileRejectedError } from '../functions/shared/errors.ts';
import {
  fileNameProblem,
  type IsoMonth,
  type OrgCode,
  randomPseudonymKey,
  recordTypeFromFileName,
} from '../schemas/index.ts';

/** The result of validating a local file with the ingest code. */
export type ValidationResult =
  | {
      readonly kind: 'checked';
      readonly outcome: FileOutcome;
      /** Set when ingest would quarantine the upload (too many rejected rows): nothing would be applied. */
      readonly quarantine?: QuarantineReason;
      readonly sha256: string;
      readonly encoding: string;
    }
  | { readonly kind: 'file-rejected'; readonly code: string; readonly message: string };

const fileSink = (path: string): TextSink =>
  streamSink((body: PassThrough) => pipeline(body, createWriteStream(path)));

const discard = (): TextSink => ({ write: async () => undefined, close: async () => undefined });

/**
 * Validates a file offline with exactly the ingest chain (inspection, decoding, parsing, normalisation),
 * writing the rejection report as JSON and CSV to `reportBase`.json / .csv.
 */
export const validateFile = async (
  path: string,
  options: {
    org: OrgCode;
    period: IsoMonth;
    reportBase: string;
    now: () => string;
    /** The limits ingest applies; DEFAULT_LIMITS unless given. */
    limits?: IngestLimits;
  },
): Promise<ValidationResult> => {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const fileName = basename(path);
  await mkdir(dirname(options.reportBase), { recursive: true });
  const report = createReportWriter(
    { json: fileSink(`${options.reportBase}.json`), csv: fileSink(`${options.reportBase}.csv`) },
    { file: fileName, org: options.org, period: options.period },
  );
  const rejectFile = async (error: FileRejectedError): Promise<ValidationResult> => {
    await report.add(0, 'error', { field: '(file)', code: error.code as never, message: error.message });
    await report.finish({ status: 'FAILED', failure: { code: error.code, message: error.message } });
    return { kind: 'file-rejected', code: error.code, message: error.message };
  };
  const type = recordTypeFromFileName(fileName);
  if (!type) {
    return rejectFile(
      new FileRejectedError(
        'UNKNOWN_FILE_TYPE',
        fileNameProblem(fileName) ?? 'The file name names no record type',
      ),
    );
  }
  await stat(path);
  try {
    const inspection = await inspectObject(createReadStream(path), limits, fileName, type.format);
    const outcome = await processFile(
      createReadStream(path),
      {
        file: fileName,
        recordType: type.recordType,
        format: type.format,
        org: options.org,
        period: options.period,
        uploadId: 'local-validation',
        fileSha256: inspection.sha256,
        encoding: inspection.encoding,
        ingestedAt: options.now(),
        // The curated records are discarded: a key of this run alone makes their references.
        pseudonymKey: randomPseudonymKey(),
        limits,
      },
      { curated: discard(), report },
    );
    const quarantine = quarantineVerdict(outcome.counts, limits);
    await report.finish(
      quarantine
        ? { status: 'QUARANTINED', counts: outcome.counts, failure: quarantine }
        : { status: 'CHECKED', counts: outcome.counts },
    );
    return {
      kind: 'checked',
      outcome,
      sha256: inspection.sha256,
      // A workbook has no text encoding of its own to tell (its XML is UTF-8).
      encoding: type.format === 'xlsx' ? 'xlsx workbook' : inspection.encoding,
      ...(quarantine ? { quarantine } : {}),
    };
  } catch (error) {
    if (error instanceof FileRejectedError) return rejectFile(error);
    throw error;
  }
};
