import { Command } from 'commander';
import { visibleText } from '../functions/shared/visible-text.ts';
import { describeCliError } from './errors.ts';

type Register = (program: Command) => void;

/**
 * Each command's module, loaded only when needed: `msht validate` then loads the ingest chain alone, not
 * the local stack, the AWS SDK clients and the emulators other commands bring (about 110 MB of RSS).
 */
const COMMANDS: Readonly<Record<string, () => Promise<Register>>> = {
  demo: async () => (await import('./commands/demo.ts')).registerDemoCommand,
  local: async () => (await import('./commands/local.ts')).registerLocalCommand,
  validate: async () => (await import('./commands/validate.ts')).registerValidateCommand,
  upload: async () => (await import('./commands/upload.ts')).registerUploadCommand,
  status: async () => (await import('./commands/status.ts')).registerStatusCommand,
  report: async () => (await import('./commands/report.ts')).registerReportCommand,
  aggregate: async () => (await import('./commands/aggregate.ts')).registerAggregateCommand,
  pnd: async () => (await import('./commands/pnd.ts')).registerPndCommand,
  feed: async () => (await import('./commands/feed.ts')).registerFeedCommand,
  query: async () => (await import('./commands/query.ts')).registerQueryCommand,
};

/**
 * The `msht` command: runs the pipeline locally and works with uploads. Given the name of the command
 * about to run, only that command is registered; otherwise (help, an unknown command) all of them.
 */
export const buildProgram = async (only?: string): Promise<Command> => {
  const program = new Command('msht')
    .description(
      'msht-pipeline: ingest, index and aggregate modern slavery and human trafficking extracts.\n' +
        'Runs against AWS, or against the embedded local stack (S3, SQS and DynamoDB emulators).',
    )
    .version('0.1.0')
    .addHelpText('after', "\nRun `msht COMMAND --help` for a command's options, exit codes and examples.")
    .showHelpAfterError('(run with --help for usage)');
  const names = only !== undefined && Object.hasOwn(COMMANDS, only) ? [only] : Object.keys(COMMANDS);
  for (const name of names) (await (COMMANDS[name] as () => Promise<Register>)())(program);
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
    await (await buildProgram(argv[2])).parseAsync([...argv]);
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
