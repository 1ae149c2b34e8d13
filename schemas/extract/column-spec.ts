import { z } from 'zod';
import type { Vocabulary } from './vocabulary.ts';

/** How a column's values are read. */
export type ColumnKind =
  | 'text'
  | 'text-list'
  | 'enum'
  | 'enum-list'
  | 'date'
  | 'timestamp'
  | 'boolean'
  | 'integer'
  | 'decimal'
  | 'org'
  | 'org-list'
  | 'country'
  | 'country-list'
  | 'nationality-list'
  | 'classification'
  | 'grading'
  | 'identifier'
  | 'discarded';

/**
 * One column of an extract, as data: the canonical snake_case name, whether it is required, the other
 * header names accepted for it, how its values are read, and what it means. Docs, JSON Schema and the
 * header resolver all read these, so they cannot disagree.
 */
export type ColumnSpec = {
  readonly name: string;
  readonly required: boolean;
  readonly synonyms: readonly string[];
  readonly kind: ColumnKind;
  readonly description: string;
  readonly example: string;
  readonly vocabulary?: Vocabulary;
  readonly maxLength?: number;
};

/** A value as it may arrive: text from CSV; text, number, boolean, null or an array of those from JSON Lines. */
const Scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export const ExtractValueSchema = z.union([Scalar, z.array(Scalar)]);

/**
 * The loose row schema of an extract (after header mapping): required columns must be present, every
 * value is loosely typed, and other keys are allowed (unknown columns are only warned about).
 */
export const extractRowSchema = (columns: readonly ColumnSpec[]) =>
  z.looseObject(
    Object.fromEntries(
      columns
        .filter((c) => c.kind !== 'discarded')
        .map((c) => [
          c.name,
          (c.required ? ExtractValueSchema : ExtractValueSchema.optional()).describe(c.description),
        ]),
    ),
  );

const col = (
  name: string,
  kind: ColumnKind,
  description: string,
  example: string,
  options: {
    required?: boolean;
    synonyms?: readonly string[];
    vocabulary?: Vocabulary;
    maxLength?: number;
  } = {},
): ColumnSpec => ({
  name,
  kind,
  description,
  example,
  required: options.required ?? false,
  synonyms: options.synonyms ?? [],
  ...(options.vocabulary ? { vocabulary: options.vocabulary } : {}),
  ...(options.maxLength ? { maxLength: options.maxLength } : {}),
});

/** Builds a column spec; options default to optional, no synonyms. */
export const column = col;
