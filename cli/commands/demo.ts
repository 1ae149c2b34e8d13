import type { Command } from 'commander';
import { DEMO_MONTHS, DEMO_ORGS, runDemo } from '../demo/run-demo.ts';
import { positiveInt } from '../options.ts';

/** `msht demo`: the main job end to end on the embedded local stack (what `npm start` runs). */
export const registerDemoCommand = (program: Command): void => {
  program
    .command('demo')
    .summary('run the whole pipeline on synthetic data')
    .description(
      'Run the pipeline end to end on the embedded local stack: generate synthetic extracts for ' +
        'several organisations and months, upload them to S3, ingest and index them, then print a ' +
        'reconciliation table. Exits 0 only when every upload reconciles.',
    )
    .option(
      '--data <dir>',
      'keep the stack state (S3 objects, DynamoDB tables) in this folder; default: a new temp folder',
    )
    .option('--rows <n>', 'data rows per generated file', positiveInt, 200)
    .option('--seed <n>', 'seed of the synthetic data generator', positiveInt, 2026)
    .option(
      '--timeout <seconds>',
      'give up waiting for the queues to drain after this long',
      positiveInt,
      600,
    )
    .option('--verbose', "show the functions' logs (INFO and above; by default only warnings and errors)")
    .option('--quiet', "show only the functions' errors (the reconciliation table is printed still)")
    .addHelpText(
      'after',
      '\nExit status:\n' +
        '  0  every upload reconciles (rows = accepted + rejected, accepted = indexed)\n' +
        '  1  an upload does not reconcile, or a dead-letter queue holds messages (each listed)\n' +
        '  4  could not run (a port in use, the data folder not writable)\n' +
        '\nExamples:\n  npm start\n  npx msht demo --rows 2000 --data .msht/demo',
    )
    .action(
      async (opts: {
        data?: string;
        rows: number;
        seed: number;
        timeout: number;
        verbose?: boolean;
        quiet?: boolean;
      }) => {
        const code = await runDemo({
          ...(opts.data ? { dataDir: opts.data } : {}),
          seed: opts.seed,
          rowsPerFile: opts.rows,
          orgs: DEMO_ORGS,
          months: DEMO_MONTHS,
          timeoutMs: opts.timeout * 1000,
          logLevel: opts.verbose ? 'INFO' : opts.quiet ? 'ERROR' : 'WARN',
          out: (line) => process.stdout.write(`${line}\n`),
        });
        process.exitCode = code;
      },
    );
};
