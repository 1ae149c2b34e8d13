import { Command } from 'commander';
import { visibleText } from '../functions/shared/visible-text.ts';
import { registerAggregateCommand } from './commands/aggregate.ts';
import { registerDemoCommand } from './commands/demo.ts';
import { registerFeedCommand } from './commands/feed.ts';
import { registerLocalCommand } from './commands/local.ts';
import { registerPndCommand } from './commands/pnd.ts';
import { registerStatusCommand } from './commands/status.ts';
import { registerUploadCommand } from './commands/upload.ts';
import { registerValidateCommand } from './commands/validate.ts';
import { describeCliError } from './errors.ts';

/** The `msht` command: runs the pipeline locally and works with uploads. */
export const buildProgram = (): Command => {
  const program = new Command('msht')
    .description(
      'msht-pipeline: ingest, index and aggregate modern slavery and human trafficking extracts.\n' +
        'Runs against AWS, or against the embedded local stack (S3, SQS and DynamoDB emulators).',
    )
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)');
  registerDemoCommand(program);
  registerLocalCommand(program);
  registerValidateCommand(program);
  registerUploadCommand(program);
  registerStatusCommand(program);
  registerAggregateCommand(program);
  registerPndCommand(program);
  registerFeedCommand(program);
  return program;
};

/**
 * Parses the arguments and runs the chosen command. An error that ends a command is told in one line
 * with what to do about it (the stack trace only with MSHT_DEBUG=1), never as a crash.
 */
export const run = async (argv: readonly string[]): Promise<void> => {
  // Output piped into a reader that stops early (`msht feed | head`): stop quietly, as Unix tools do.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  try {
    await buildProgram().parseAsync([...argv]);
  } catch (error) {
    const { message, exitCode } = describeCliError(error);
    // Line by line: an error may quote a file name or file content, which must not reach the terminal raw.
    process.stderr.write(
      `msht: ${message
        .split('\n')
        .map((line) => visibleText(line))
        .join('\n')}\n`,
    );
    if (process.env.MSHT_DEBUG === '1' && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    process.exitCode = exitCode;
  }
};

if (import.meta.main) await run(process.argv);
