import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { ZodError, z } from 'zod';
import { MshtError } from '../functions/shared/errors.ts';

/** Exit status of a command that could not do its work: configuration, AWS unreachable or refusing, a file unreadable. */
export const EXIT_COULD_NOT_RUN = 4;

/** A failure the CLI explains in one line; `exitCode` is the command's documented status for it. */
export class CliError extends MshtError {
  readonly exitCode: number;

  constructor(message: string, options: { exitCode?: number; cause?: unknown } = {}) {
    super('CLI', message, options.cause === undefined ? {} : { cause: options.cause });
    this.exitCode = options.exitCode ?? EXIT_COULD_NOT_RUN;
  }
}

const LOCAL_HINT = 'for the local stack, run `npx msht local` and export the lines it prints';

const field = (error: unknown, name: string): string | undefined => {
  const value =
    error !== null && typeof error === 'object' ? (error as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' ? value : undefined;
};

/**
 * What to tell the user about an error that ended a command: one line, with what to do about it, and
 * the exit status. AWS SDK errors name the service's error code and message, which carry resource
 * names and request details, never record contents.
 */
export const describeCliError = (error: unknown): { message: string; exitCode: number } => {
  if (error instanceof CliError) return { message: error.message, exitCode: error.exitCode };
  // The pipeline's own typed errors say what went wrong in the terms of the domain.
  if (error instanceof MshtError) return { message: `[${error.code}] ${error.message}`, exitCode: 1 };
  if (error instanceof ZodError) {
    return {
      message: `The input does not match its schema:\n${z.prettifyError(error)}`,
      exitCode: 2,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  const name = field(error, 'name') ?? '';
  const code = field(error, 'code') ?? field(error, 'Code') ?? '';
  const could = (text: string): { message: string; exitCode: number } => ({
    message: text,
    exitCode: EXIT_COULD_NOT_RUN,
  });
  if (message === 'Region is missing') {
    return could(`No AWS region is set: set AWS_REGION (e.g. eu-west-2), or ${LOCAL_HINT}.`);
  }
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    return could(
      `No AWS credentials were found: sign in (e.g. aws sso login) or set AWS_PROFILE, or ${LOCAL_HINT}.`,
    );
  }
  if (code === 'ECONNREFUSED' || /ECONNREFUSED/.test(message)) {
    const address = field(error, 'address');
    const port = (error as { port?: unknown }).port;
    const where = address ? ` at ${address}${typeof port === 'number' ? `:${port}` : ''}` : '';
    return could(`Nothing answers${where}: if that is the local stack, is \`npx msht local\` still running?`);
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    const host = field(error, 'hostname');
    return could(
      `Cannot look up ${host ?? 'the AWS endpoint'}: check the network, or the AWS_ENDPOINT_URL_* variables.`,
    );
  }
  if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
    const path = field(error, 'path');
    const why = { ENOENT: 'no such file', EACCES: 'permission denied', EISDIR: 'it is a folder' }[code];
    return could(`Cannot read ${path ?? 'the file'}: ${why}.`);
  }
  if (/^(AccessDenied|AccessDeniedException|Forbidden)$/.test(name)) {
    // AWS's message names the caller, the action and the resource: enough to see which role is wrong.
    return could(
      `Your credentials may not do this: ${message} Check which role you are using (AWS_PROFILE; on the local stack, one of the profiles \`npx msht local\` prints).`,
    );
  }
  const metadata = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata;
  if (metadata?.httpStatusCode !== undefined) {
    return could(`AWS refused the request (${name || 'error'}, HTTP ${metadata.httpStatusCode}): ${message}`);
  }
  return { message: `${message} (set MSHT_DEBUG=1 to see where it failed)`, exitCode: 1 };
};

/** Resolves when `path` is a file this process can read; otherwise throws the error `describeCliError` explains. */
export const readable = async (path: string): Promise<void> => {
  await access(path, constants.R_OK);
  if ((await stat(path)).isDirectory()) {
    throw Object.assign(new Error(`${path} is a folder`), { code: 'EISDIR', path });
  }
};
