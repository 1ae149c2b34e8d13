import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { AggregateLatestSchema, NationalPictureSchema } from './aggregate/national.ts';
import { LocationSchema } from './canonical/location.ts';
import { ObjectRecordSchema } from './canonical/object.ts';
import { OperationSchema } from './canonical/operation.ts';
import { CanonicalRecordSchema } from './canonical/record.ts';
import { SubjectSchema } from './canonical/subject.ts';
import { UploadLedgerEntrySchema, UploadStatusObjectSchema } from './canonical/upload-ledger.ts';
import {
  AggregateJsonSchema,
  PndAckJsonSchema,
  PndExportJsonSchema,
  PndReleaseJsonSchema,
  QueryJsonSchema,
  ReportJsonSchema,
  StatusJsonSchema,
  UploadJsonSchema,
  ValidateJsonSchema,
} from './cli/json-output.ts';
import { EXTRACT_ROW_SCHEMAS } from './extract/columns.ts';
import { FeedChangeSchema } from './feed/feed-change.ts';
import { MshtMarkerSchema } from './markers/published-marker.ts';
import { RECORD_TYPES } from './record-types.ts';
import { SCHEMA_VERSION } from './version.ts';

/** Folder of the committed JSON Schema files. */
export const JSON_SCHEMA_DIR = join(dirname(fileURLToPath(import.meta.url)), 'json');

const render = (schema: z.ZodType, id: string, title: string): string => {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  const { $schema, ...rest } = json;
  const doc = {
    $schema,
    $id: `https://msht-pipeline.example/schemas/v${SCHEMA_VERSION}/${id}`,
    title,
    ...rest,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
};

/**
 * The JSON Schema files for forces and downstream consumers, as {fileName → content}: one per extract
 * row type and per canonical schema, plus the marker and the upload ledger entry. Pure, so a test can
 * compare it with the committed files.
 */
export const generateJsonSchemas = (): Record<string, string> => {
  const files: Record<string, string> = {};
  for (const type of RECORD_TYPES) {
    const name = `extract-${type}.schema.json`;
    files[name] = render(EXTRACT_ROW_SCHEMAS[type], name, `Extract row: ${type} (canonical column names)`);
  }
  const canonical: [string, z.ZodType, string][] = [
    ['operation.schema.json', OperationSchema, 'Canonical record: operation'],
    ['subject.schema.json', SubjectSchema, 'Canonical record: subject'],
    ['object.schema.json', ObjectRecordSchema, 'Canonical record: object'],
    ['location.schema.json', LocationSchema, 'Canonical record: location'],
    ['canonical-record.schema.json', CanonicalRecordSchema, 'Canonical record (any type)'],
    ['msht-marker.schema.json', MshtMarkerSchema, 'MSHT marker'],
    ['upload-ledger-entry.schema.json', UploadLedgerEntrySchema, 'Upload ledger entry'],
    [
      'upload-status.schema.json',
      UploadStatusObjectSchema,
      'Upload status object (reports/{org}/uploads/{uploadId}.json)',
    ],
    ['national-picture.schema.json', NationalPictureSchema, 'Monthly national picture (national.json)'],
    ['aggregate-latest.schema.json', AggregateLatestSchema, 'Aggregation pointer (latest.json)'],
    ['feed-change.schema.json', FeedChangeSchema, 'Feed change (one committed marker change)'],
    ['cli-validate.schema.json', ValidateJsonSchema, 'msht validate --json'],
    ['cli-upload.schema.json', UploadJsonSchema, 'msht upload --json'],
    ['cli-status.schema.json', StatusJsonSchema, 'msht status --json'],
    ['cli-aggregate.schema.json', AggregateJsonSchema, 'msht aggregate --json'],
    ['cli-report.schema.json', ReportJsonSchema, 'msht report --json'],
    ['cli-pnd-export.schema.json', PndExportJsonSchema, 'msht pnd export --json'],
    ['cli-pnd-ack.schema.json', PndAckJsonSchema, 'msht pnd ack --json'],
    ['cli-pnd-release.schema.json', PndReleaseJsonSchema, 'msht pnd release --json'],
    ['cli-query.schema.json', QueryJsonSchema, 'msht query --json'],
  ];
  for (const [name, schema, title] of canonical) files[name] = render(schema, name, title);
  return files;
};

/** Writes every generated file into `dir`. */
export const writeJsonSchemas = async (dir: string = JSON_SCHEMA_DIR): Promise<string[]> => {
  await mkdir(dir, { recursive: true });
  const files = generateJsonSchemas();
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content, 'utf8');
  return Object.keys(files);
};

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const written = await writeJsonSchemas();
  process.stdout.write(`Wrote ${written.length} JSON Schema files to ${JSON_SCHEMA_DIR}\n`);
}
