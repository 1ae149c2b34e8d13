import type { z } from 'zod';

/**
 * Prints a command's `--json` document on stdout, checked against its schema (schemas/cli/json-output.ts)
 * first, so what scripts read is always the documented shape.
 */
export const printJson = <T extends z.ZodType>(schema: T, value: z.input<T>): void => {
  process.stdout.write(`${JSON.stringify(schema.parse(value), null, 2)}\n`);
};
