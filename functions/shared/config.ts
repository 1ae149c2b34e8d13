import { z } from 'zod';
import { ENV } from './env-names.ts';
import { ConfigError } from './errors.ts';

/** What a pipeline function needs from its environment, parsed once at the edge. */
export const FunctionConfigSchema = z.object({
  bucket: z.string().min(3),
  recordsQueueUrl: z.url(),
  uploadsTable: z.string().min(3),
  markersTable: z.string().min(3),
  stage: z.enum(['dev', 'prod']).default('dev'),
});

export type FunctionConfig = z.infer<typeof FunctionConfigSchema>;

/**
 * Parses the function configuration from environment variables named in `ENV`.
 * Throws a `ConfigError` naming every missing or invalid variable.
 */
export const loadFunctionConfig = (env: NodeJS.ProcessEnv = process.env): FunctionConfig => {
  const parsed = FunctionConfigSchema.safeParse({
    bucket: env[ENV.bucket],
    recordsQueueUrl: env[ENV.recordsQueueUrl],
    uploadsTable: env[ENV.uploadsTable],
    markersTable: env[ENV.markersTable],
    stage: env[ENV.stage] || undefined,
  });
  if (parsed.success) return parsed.data;
  const names: Record<string, string> = {
    bucket: ENV.bucket,
    recordsQueueUrl: ENV.recordsQueueUrl,
    uploadsTable: ENV.uploadsTable,
    markersTable: ENV.markersTable,
    stage: ENV.stage,
  };
  const problems = parsed.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '');
    return `${names[key] ?? key}: ${issue.message}`;
  });
  throw new ConfigError(`Invalid function environment: ${problems.join('; ')}`);
};
