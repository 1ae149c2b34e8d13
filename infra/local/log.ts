/**
 * How the local stack reports what it does: a short message with ids and counts in fields, never a
 * message body or an object's content (they hold police personal data).
 */
export type LocalLog = (
  level: 'debug' | 'info' | 'warn' | 'error',
  message: string,
  fields?: Readonly<Record<string, unknown>>,
) => void;

/** The default log: warnings and errors to stderr as one JSON line each; debug and info are dropped. */
export const stderrLog: LocalLog = (level, message, fields = {}) => {
  if (level === 'warn' || level === 'error') {
    process.stderr.write(`${JSON.stringify({ level, source: 'msht-local', message, ...fields })}\n`);
  }
};

/** The message of an error, for a log field. */
export const errorMessage = (err: unknown): string => (err instanceof Error ? err.message : String(err));
