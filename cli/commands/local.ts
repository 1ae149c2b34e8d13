import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { ENV } from '../../functions/shared/env-names.ts';
import { STAGES } from '../../infra/config.ts';
import { isPersonProfile } from '../../infra/local/iam/personas.ts';
import {
  type LocalPorts,
  type LocalStack,
  type StopReport,
  startLocalStack,
} from '../../infra/local/local-stack.ts';
import type { LocalLog } from '../../infra/local/log.ts';
import { INCOMING_PREFIX } from '../../infra/local/s3-notifications.ts';

/**
 * Ports `msht local` listens on unless told otherwise: DynamoDB and S3 on dynalite's and s3rver's own
 * defaults (kept from when the local stack ran dynalite), then SQS, STS, Lambda and Secrets Manager.
 */
export const DEFAULT_LOCAL_PORTS: LocalPorts = {
  dynamodb: 4567,
  s3: 4568,
  sqs: 4569,
  sts: 4570,
  lambda: 4571,
  secretsmanager: 4572,
};

/**
 * With `--port-base N`: DynamoDB on N, S3 on N+1, SQS on N+2, STS on N+3, Lambda on N+4, Secrets
 * Manager on N+5 (the defaults are base 4567).
 */
export const PORT_BASE_OFFSETS: LocalPorts = {
  dynamodb: 0,
  s3: 1,
  sqs: 2,
  sts: 3,
  lambda: 4,
  secretsmanager: 5,
};

export type PortOptions = {
  readonly portBase?: number;
  readonly portS3?: number;
  readonly portSqs?: number;
  readonly portDynamodb?: number;
  readonly portSts?: number;
  readonly portLambda?: number;
  readonly portSecretsmanager?: number;
};

/** The ports to use: a service's own option wins over `--port-base`, which wins over the defaults. */
export const resolvePorts = (options: PortOptions): LocalPorts => {
  const base = (service: keyof LocalPorts): number =>
    options.portBase === undefined
      ? DEFAULT_LOCAL_PORTS[service]
      : options.portBase + PORT_BASE_OFFSETS[service];
  const ports = {
    s3: options.portS3 ?? base('s3'),
    sqs: options.portSqs ?? base('sqs'),
    dynamodb: options.portDynamodb ?? base('dynamodb'),
    sts: options.portSts ?? base('sts'),
    lambda: options.portLambda ?? base('lambda'),
    secretsmanager: options.portSecretsmanager ?? base('secretsmanager'),
  };
  for (const [service, port] of Object.entries(ports)) {
    if (port > 65_535) throw new InvalidArgumentError(`the ${service} port would be ${port}, above 65535`);
  }
  return ports;
};

/** Parses a TCP port option (1-65535). */
export const portOption = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65_535)
    throw new InvalidArgumentError('expected a port from 1 to 65535');
  return n;
};

const EXAMPLE_KEY = `${INCOMING_PREFIX}PF-E23000001/2026-10/subjects.csv`;

/** What `msht local` prints once the stack runs: the environment to export, the resources, how to upload. */
export const describeLocalStack = (stack: LocalStack, dataDir: string | undefined): string[] => {
  const { env, endpoints, resources, iam } = stack;
  const exports = [
    'AWS_ENDPOINT_URL_S3',
    'AWS_ENDPOINT_URL_SQS',
    'AWS_ENDPOINT_URL_DYNAMODB',
    'AWS_ENDPOINT_URL_STS',
    'AWS_ENDPOINT_URL_LAMBDA',
    'AWS_ENDPOINT_URL_SECRETS_MANAGER',
    'AWS_REGION',
    'AWS_DEFAULT_REGION',
    ENV.landingBucket,
    ENV.bucket,
    ENV.uploadsTable,
    ENV.markersTable,
    ENV.feedTable,
  ].map((name) => `  export ${name}=${env[name] ?? ''}`);
  const people = iam.personas.filter(isPersonProfile);
  const orgs = people.filter((p) => p.profile.startsWith('org-'));
  return [
    `msht local stack running (stage ${stack.settings.stage}, region ${env.AWS_REGION}). Press Ctrl-C to stop.`,
    dataDir
      ? `Data: ${dataDir} keeps S3 objects, DynamoDB tables and the SQS queues (a journal) between runs, through a stop or a crash.`
      : 'Data: none kept (no --data): S3 in a temporary folder, DynamoDB and SQS in memory.',
    ...restoredLines(stack),
    '',
    'IAM is enforced as on AWS, with the policies of the CDK app: every request is checked against the',
    'role its access key stands for. A profile per person is in the credentials file:',
    `  export AWS_SHARED_CREDENTIALS_FILE=${iam.credentialsFile}`,
    `  export AWS_CONFIG_FILE=${iam.configFile}`,
    `  profiles: ${orgs[0]?.profile ?? ''} ... ${orgs.at(-1)?.profile ?? ''} (${orgs.length} organisations' upload roles), national, feed, admin`,
    '  then choose one: export AWS_PROFILE=org-PF-E23000001   (or --profile with the AWS CLI)',
    '',
    'Point the AWS SDKs and the AWS CLI at it (in another shell):',
    ...exports,
    '  unset AWS_SESSION_TOKEN AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY',
    '',
    'Resources:',
    `  landing bucket  ${resources.landingBucket}  (uploads under ${INCOMING_PREFIX} go to the ingest queue)`,
    `  data bucket     ${resources.bucket}  (reports/, curated/, aggregates/)`,
    `  ingest queue    ${resources.queueUrls.ingest}`,
    `  ingest DLQ      ${resources.queueUrls.ingestDlq}`,
    `  records queue   ${resources.queueUrls.records}`,
    `  records DLQ     ${resources.queueUrls.recordsDlq}`,
    `  tables          ${resources.tables.uploads} (upload ledger), ${resources.tables.markers} (markers), ${resources.tables.feed} (feed)`,
    '',
    'Upload an extract as PF-E23000001; the ingest and indexer functions run here as on Lambda, each as its own role:',
    `  aws --profile org-PF-E23000001 s3 cp subjects.csv s3://${resources.landingBucket}/${EXAMPLE_KEY}`,
    'or, with an AWS CLI that ignores AWS_ENDPOINT_URL_* (AWS CLI v1):',
    `  aws --profile org-PF-E23000001 --endpoint-url ${endpoints.s3} s3 cp subjects.csv s3://${resources.landingBucket}/${EXAMPLE_KEY}`,
    `  aws --profile admin --endpoint-url ${endpoints.sqs} sqs get-queue-attributes --attribute-names All --queue-url ${resources.queueUrls.ingestDlq}`,
    'Then see its status as that organisation:',
    '  npx msht status --org PF-E23000001',
  ];
};

/** What the SQS journal put back from the last run, if anything. */
const restoredLines = (stack: LocalStack): string[] => {
  const restored = stack.restored;
  if (!restored) return [];
  const queues = Object.entries(restored.queues).filter(([, q]) => q.messages > 0);
  if (queues.length === 0 && restored.expired === 0) return [];
  const total = queues.reduce((n, [, q]) => n + q.messages, 0);
  const listed = queues.map(([name, q]) => `${name} ${q.messages}`).join(', ');
  return [
    `Restored ${total} message(s) from the last run (${listed || 'none'}); they are delivered again now.` +
      (restored.deadLettered > 0
        ? ` ${restored.deadLettered} had used up their receives and went to their DLQ.`
        : '') +
      (restored.expired > 0 ? ` ${restored.expired} past their retention period were dropped.` : ''),
  ];
};

/** One line saying what a stop did. */
export const describeStop = (report: StopReport): string => {
  const seconds = (report.elapsedMs / 1000).toFixed(1);
  const abandoned = report.abandonedInvocations + report.abandonedScheduledRuns;
  if (abandoned === 0) return `Local stack stopped in ${seconds} s; nothing was in progress.`;
  const parts = [
    ...(report.abandonedInvocations > 0
      ? [
          `${report.abandonedInvocations} invocation(s) abandoned, their ${report.abandonedMessages} message(s) will be redelivered on next start`,
        ]
      : []),
    ...(report.abandonedScheduledRuns > 0
      ? [`${report.abandonedScheduledRuns} scheduled run(s) abandoned (they run again on next start)`]
      : []),
  ];
  return `Local stack stopped in ${seconds} s; ${parts.join('; ')}.`;
};

/** A stop that has not finished by then is cut short: Ctrl-C is answered within 5 s. */
const STOP_DEADLINE_MS = 4_500;

/**
 * The stack's own log, one JSON line per event like the functions' Powertools logs: info and above to
 * `out`, and warnings and errors to the terminal too (unless quiet) when `out` is a file.
 */
const cliLog =
  (out: NodeJS.WritableStream, terminal: 'all' | 'warnings' | 'errors'): LocalLog =>
  (level, message, fields = {}) => {
    if (level === 'debug') return;
    const line = `${JSON.stringify({ level: level.toUpperCase(), source: 'msht-local', message, ...fields })}\n`;
    out.write(line);
    const shown = terminal === 'all' || level === 'error' || (terminal === 'warnings' && level === 'warn');
    if (out !== process.stderr && shown) process.stderr.write(line);
  };

type LocalCommandOptions = PortOptions & {
  readonly data?: string;
  readonly logLevel: string;
  readonly verbose?: boolean;
  readonly quiet?: boolean;
};

/** Where the functions' and the stack's logs go: the terminal with --verbose, else a file. */
const openLogs = async (
  opts: LocalCommandOptions,
  dataDir: string | undefined,
): Promise<{ stream: NodeJS.WritableStream; path?: string }> => {
  if (opts.verbose) return { stream: process.stderr };
  const dir = dataDir ? join(dataDir, 'logs') : await mkdtemp(join(tmpdir(), 'msht-local-logs-'));
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'msht-local.log');
  return { stream: createWriteStream(path, { flags: 'a', mode: 0o600 }), path };
};

/** Runs the stack until SIGINT or SIGTERM, then stops it cleanly. */
const runLocal = async (opts: LocalCommandOptions): Promise<void> => {
  const dataDir = opts.data === undefined ? undefined : resolve(opts.data);
  let stack: LocalStack;
  const started = performance.now();
  const logs = await openLogs(opts, dataDir);
  try {
    stack = await startLocalStack({
      ports: resolvePorts(opts),
      ...(dataDir === undefined ? {} : { dataDir }),
      logLevel: opts.logLevel,
      log: cliLog(logs.stream, opts.verbose ? 'all' : opts.quiet ? 'errors' : 'warnings'),
      ...(logs.path ? { functionLogs: logs.stream } : {}),
    });
  } catch (err) {
    process.stderr.write(`msht local: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 4;
    return;
  }
  process.stdout.write(`${describeLocalStack(stack, dataDir).join('\n')}\n`);
  if (logs.path)
    process.stdout.write(`\nLogs of the functions and the stack: ${logs.path} (--verbose shows them here)\n`);
  process.stdout.write(`\nReady in ${((performance.now() - started) / 1000).toFixed(1)} s.\n`);

  await new Promise<void>((done) => {
    let firstSignalAt: number | undefined;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (firstSignalAt !== undefined) {
        // The launcher may forward the terminal's Ctrl-C a second time; only a later one forces the exit.
        if (Date.now() - firstSignalAt > 2_000) process.exit(130);
        return;
      }
      firstSignalAt = Date.now();
      process.stderr.write(
        `\n${signal}: stopping the local stack (invocations in progress get 2 s to finish)...\n`,
      );
      // A last resort: whatever still holds the stop, the process ends within 5 s of the signal.
      setTimeout(() => {
        process.stderr.write(`Local stack did not stop within ${STOP_DEADLINE_MS / 1000} s: exiting now.\n`);
        process.exit(1);
      }, STOP_DEADLINE_MS).unref();
      stack
        .stop()
        .then((report) => {
          process.stderr.write(`${describeStop(report)}\n`);
          process.exitCode = 0;
        })
        .catch((err: unknown) => {
          process.stderr.write(
            `Local stack did not stop cleanly: ${err instanceof Error ? err.message : String(err)}\n`,
          );
          process.exitCode = 1;
        })
        .finally(() => {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
          done();
          // Nothing of the stack is left; a handle some library forgot must not keep the process alive.
          setImmediate(() => process.exit());
        });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
};

/** `msht local`: runs the embedded local stack (S3, SQS, DynamoDB emulators and both functions) until Ctrl-C. */
export const registerLocalCommand = (program: Command): void => {
  program
    .command('local')
    .summary('run the pipeline on this machine')
    .description(
      'Run the pipeline on this machine: S3, SQS and DynamoDB emulators in this process (no Docker, ' +
        'loopback only), the buckets, queues, DLQs and tables of the dev stage, the ingest and indexer ' +
        'functions fed by S3 notifications and SQS as on Lambda, and the feed publisher (every second), the ' +
        'PND export (every minute) and the marker expiry pass (every hour) on a schedule. Prints the environment for the AWS CLI ' +
        'and SDKs, then serves until Ctrl-C (which stops it within 5 s: invocations still running after 2 s are ' +
        'abandoned and their messages delivered again on the next start). With --data, S3 objects, DynamoDB ' +
        'tables, the SQS queues, the keys and the pseudonym key persist in that folder, through a stop or a crash.',
    )
    .option(
      '--data <dir>',
      'folder that keeps S3 objects, DynamoDB tables, the SQS queues, the keys and the pseudonym key between runs (default: nothing kept)',
    )
    .option(
      '--port-base <port>',
      `DynamoDB on <port>, S3 on <port>+1, SQS on <port>+2, STS on <port>+3, Lambda on <port>+4, Secrets Manager on <port>+5 (default ${DEFAULT_LOCAL_PORTS.dynamodb})`,
      portOption,
    )
    .option('--port-s3 <port>', `S3 port (default ${DEFAULT_LOCAL_PORTS.s3})`, portOption)
    .option('--port-sqs <port>', `SQS port (default ${DEFAULT_LOCAL_PORTS.sqs})`, portOption)
    .option('--port-dynamodb <port>', `DynamoDB port (default ${DEFAULT_LOCAL_PORTS.dynamodb})`, portOption)
    .option('--port-sts <port>', `STS port (default ${DEFAULT_LOCAL_PORTS.sts})`, portOption)
    .option('--port-lambda <port>', `Lambda API port (default ${DEFAULT_LOCAL_PORTS.lambda})`, portOption)
    .option(
      '--port-secretsmanager <port>',
      `Secrets Manager port (default ${DEFAULT_LOCAL_PORTS.secretsmanager})`,
      portOption,
    )
    .option('--log-level <level>', 'log level of the functions (POWERTOOLS_LOG_LEVEL)', 'INFO')
    .option(
      '--verbose',
      "show the functions' and the stack's logs here (by default they go to a file, path printed)",
    )
    .option('--quiet', 'show only errors here (warnings too by default)')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  npx msht local                      # nothing kept; ports 4567 (DynamoDB), 4568 (S3), 4569 (SQS), 4570 (STS), 4571 (Lambda), 4572 (Secrets Manager)\n' +
        '  npx msht local --data .msht-local   # keep objects and tables between runs\n' +
        '  npx msht local --port-base 5000     # DynamoDB 5000, S3 5001, SQS 5002, STS 5003, Lambda 5004, Secrets Manager 5005\n' +
        '\nExit status:\n' +
        '  0  stopped by Ctrl-C or SIGTERM\n' +
        '  1  did not stop cleanly (in-flight messages come back on the next start with the same --data)\n' +
        '  4  could not run (a port in use, the data folder not writable)\n' +
        '\nThen, in another shell, run the export lines it prints and upload:\n' +
        `  aws --profile org-PF-E23000001 s3 cp subjects.csv s3://${STAGES.dev.landingBucketName}/${EXAMPLE_KEY}`,
    )
    .action(async (opts: LocalCommandOptions) => {
      await runLocal(opts);
    });
};
