import { resolve } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { ENV } from '../../functions/shared/env-names.ts';
import { STAGES } from '../../infra/config.ts';
import { isPersonProfile } from '../../infra/local/iam/personas.ts';
import { type LocalPorts, type LocalStack, startLocalStack } from '../../infra/local/local-stack.ts';
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
      ? `Data: ${dataDir} keeps S3 objects and DynamoDB tables between runs; SQS queues are in memory and start empty.`
      : 'Data: none kept (no --data): S3 in a temporary folder, DynamoDB and SQS in memory.',
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

/** The stack's own log on stderr, one JSON line per event, like the functions' Powertools logs. */
const cliLog: LocalLog = (level, message, fields = {}) => {
  if (level !== 'debug') {
    process.stderr.write(
      `${JSON.stringify({ level: level.toUpperCase(), source: 'msht-local', message, ...fields })}\n`,
    );
  }
};

type LocalCommandOptions = PortOptions & { readonly data?: string; readonly logLevel: string };

/** Runs the stack until SIGINT or SIGTERM, then stops it cleanly. */
const runLocal = async (opts: LocalCommandOptions): Promise<void> => {
  const dataDir = opts.data === undefined ? undefined : resolve(opts.data);
  let stack: LocalStack;
  const started = performance.now();
  try {
    stack = await startLocalStack({
      ports: resolvePorts(opts),
      ...(dataDir === undefined ? {} : { dataDir }),
      logLevel: opts.logLevel,
      log: cliLog,
    });
  } catch (err) {
    process.stderr.write(`msht local: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
    return;
  }
  process.stdout.write(`${describeLocalStack(stack, dataDir).join('\n')}\n`);
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
      process.stderr.write(`\n${signal}: stopping the local stack...\n`);
      stack
        .stop()
        .then(() => {
          process.stderr.write('Local stack stopped.\n');
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
    .description(
      'Run the pipeline on this machine: S3, SQS and DynamoDB emulators in this process (no Docker, ' +
        'loopback only), the buckets, queues, DLQs and tables of the dev stage, the ingest and indexer ' +
        'functions fed by S3 notifications and SQS as on Lambda, and the feed publisher (every second), the ' +
        'PND export and the marker expiry pass (every minute) on a schedule. Prints the environment for the AWS CLI ' +
        'and SDKs, then serves until Ctrl-C. With --data, S3 objects, DynamoDB tables, the keys and the ' +
        'pseudonym key persist in that folder; SQS queues are always in memory and start empty.',
    )
    .option(
      '--data <dir>',
      'folder that keeps S3 objects, DynamoDB tables, the keys and the pseudonym key between runs (default: nothing kept)',
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
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  npx msht local                      # nothing kept; ports 4567 (DynamoDB), 4568 (S3), 4569 (SQS), 4570 (STS), 4571 (Lambda), 4572 (Secrets Manager)\n' +
        '  npx msht local --data .msht-local   # keep objects and tables between runs\n' +
        '  npx msht local --port-base 5000     # DynamoDB 5000, S3 5001, SQS 5002, STS 5003, Lambda 5004, Secrets Manager 5005\n' +
        '\nThen, in another shell, run the export lines it prints and upload:\n' +
        `  aws --profile org-PF-E23000001 s3 cp subjects.csv s3://${STAGES.dev.landingBucketName}/${EXAMPLE_KEY}`,
    )
    .action(async (opts: LocalCommandOptions) => {
      await runLocal(opts);
    });
};
