import { z } from 'zod';
import { StageNameSchema } from '../../schemas/settings/stage-settings.ts';
import { ENV } from './env-names.ts';
import { ConfigError } from './errors.ts';

/** A variable holding JSON, parsed and then checked by `schema`. */
export const jsonOf = <T extends z.ZodType>(schema: T) =>
  z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'not valid JSON' });
        return z.NEVER;
      }
    })
    .pipe(schema);

/** What a pipeline function needs from its environment, parsed once at the edge. */
export const FunctionConfigSchema = z.object({
  bucket: z.string().min(3),
  recordsQueueUrl: z.url(),
  uploadsTable: z.string().min(3),
  markersTable: z.string().min(3),
  stage: StageNameSchema.default('dev'),
});

export type FunctionConfig = z.infer<typeof FunctionConfigSchema>;

/**
 * Parses settings from environment variables, once, at the edge: `names` maps each key of `schema` to
 * its variable. An unset or empty variable is absent, so the schema's defaults apply. Throws a
 * `ConfigError` naming every missing or invalid variable.
 */
export const parseEnv = <S extends z.ZodType>(
  schema: S,
  names: Readonly<Record<string, string>>,
  what: string,
  env: NodeJS.ProcessEnv,
): z.infer<S> => {
  const parsed = schema.safeParse(
    Object.fromEntries(Object.entries(names).map(([key, name]) => [key, env[name] || undefined])),
  );
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '');
    return `${names[key] ?? key}: ${issue.message}`;
  });
  throw new ConfigError(`Invalid ${what}: ${problems.join('; ')}`);
};

/** Parses the function configuration from environment variables named in `ENV` (`parseEnv`). */
export const loadFunctionConfig = (env: NodeJS.ProcessEnv = process.env): FunctionConfig =>
  parseEnv(
    FunctionConfigSchema,
    {
      bucket: ENV.bucket,
      recordsQueueUrl: ENV.recordsQueueUrl,
      uploadsTable: ENV.uploadsTable,
      markersTable: ENV.markersTable,
      stage: ENV.stage,
    },
    'function environment',
    env,
  );
