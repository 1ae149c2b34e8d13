import { join } from 'node:path';
import { Duration, RemovalPolicy, Size } from 'aws-cdk-lib';
import { Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import {
  ApplicationLogLevel,
  Architecture,
  CfnEventInvokeConfig,
  type CfnFunction,
  type EventSourceMapping,
  type FunctionUrl,
  FunctionUrlAuthType,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
} from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { EnvName } from '../../functions/shared/env-names.ts';
import type { ApiFunctionSettings, FunctionSettings, ScheduledFunctionSettings } from '../config.ts';
import { acknowledge, wildcardResourceFinding } from '../policy-checks.ts';
import type { FailureQueue } from './failure-queue.ts';
import { keyViaService } from './iam-statements.ts';
import type { PipelineQueue } from './pipeline-queue.ts';

/** Properties of a `PipelineFunction`. */
export type PipelineFunctionProps = {
  /** Absolute path of the handler module (a .ts file that exports the handler). */
  readonly entry: string;
  /** Physical function name; the log group is `/aws/lambda/{functionName}`. */
  readonly functionName: string;
  /**
   * Memory and timeout; for a queue consumer also the settings of its SQS event source, for a scheduled
   * function its reserved concurrency.
   */
  readonly settings: FunctionSettings | ScheduledFunctionSettings | ApiFunctionSettings;
  /** Environment variables, named only from `ENV` so that infra and functions cannot drift. */
  readonly environment: Readonly<Partial<Record<EnvName, string>>>;
  /**
   * Node.js options added to NODE_OPTIONS after `--enable-source-maps` (which every function keeps), e.g.
   * V8 heap settings a function was measured with.
   * @default none
   */
  readonly nodeOptions?: readonly string[];
  /**
   * /tmp size in MiB (512 to 10,240).
   * @default Lambda's 512
   */
  readonly ephemeralStorageMb?: number;
  /** Days the function's logs are kept; one of the values CloudWatch Logs accepts. */
  readonly logRetentionDays: number;
  /** The key that encrypts the log group; its policy must let CloudWatch Logs use it for this log group. */
  readonly logKey: IKey;
  /** The repository root: esbuild resolves dependencies and tsconfig from here. */
  readonly projectRoot: string;
  /**
   * Name of the handler export in `entry`.
   * @default 'handler'
   */
  readonly handler?: string;
  /**
   * What happens to the log group when the stack deletes it.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * What the function is for, shown in the console.
   * @default no description
   */
  readonly description?: string;
};

/** Options of `PipelineFunction.allow`. */
export type AllowOptions = {
  /**
   * Why a wildcard resource in the statement (an S3 prefix such as `reports/*`) is the least privilege
   * possible. Without it, a wildcard stays an unacknowledged cdk-nag finding and synth fails.
   * @default wildcards are not acknowledged
   */
  readonly wildcardReason?: string;
};

const SUPPORTED_RETENTION = new Set<number>(
  Object.values(RetentionDays).filter((value): value is number => typeof value === 'number'),
);

/**
 * The house Lambda function: Node.js 24 on arm64, bundled by the local esbuild as ESM with source maps,
 * JSON logs into its own KMS-encrypted log group with a retention, X-Ray tracing, memory and timeout from
 * settings, and a role that holds only the statements given to `allow` (no managed policies).
 */
export class PipelineFunction extends Construct {
  /** The function. */
  public readonly fn: NodejsFunction;
  /** The function's execution role. */
  public readonly role: Role;
  /** The function's log group. */
  public readonly logGroup: LogGroup;

  /** Physical function name. */
  public readonly functionName: string;
  /** The queue the function consumes, once `consume` has been called. */
  public source: PipelineQueue | undefined;
  /** The SQS event source mapping, once `consume` has been called. */
  public eventSourceMapping: EventSourceMapping | undefined;

  private readonly settings: FunctionSettings | ScheduledFunctionSettings | ApiFunctionSettings;

  constructor(scope: Construct, id: string, props: PipelineFunctionProps) {
    super(scope, id);
    this.settings = props.settings;
    this.functionName = props.functionName;
    if (!SUPPORTED_RETENTION.has(props.logRetentionDays)) {
      throw new Error(`logRetentionDays ${props.logRetentionDays} is not a CloudWatch Logs retention period`);
    }

    this.logGroup = new LogGroup(this, 'LogGroup', {
      logGroupName: `/aws/lambda/${props.functionName}`,
      retention: props.logRetentionDays as RetentionDays,
      encryptionKey: props.logKey,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });

    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of Lambda function ${props.functionName}`,
    });
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    this.fn = new NodejsFunction(this, 'Function', {
      functionName: props.functionName,
      ...(props.description ? { description: props.description } : {}),
      entry: props.entry,
      handler: props.handler ?? 'handler',
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.settings.memoryMb,
      timeout: Duration.seconds(props.settings.timeoutSeconds),
      ...(props.ephemeralStorageMb ? { ephemeralStorageSize: Size.mebibytes(props.ephemeralStorageMb) } : {}),
      ...('reservedConcurrency' in props.settings
        ? { reservedConcurrentExecutions: props.settings.reservedConcurrency }
        : {}),
      role: this.role,
      // Active tracing is set below, with its permissions in a policy of their own.
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.INFO,
      // Stack traces point at the TypeScript sources through the bundle's source map.
      environment: {
        ...props.environment,
        NODE_OPTIONS: ['--enable-source-maps', ...(props.nodeOptions ?? [])].join(' '),
      },
      projectRoot: props.projectRoot,
      depsLockFilePath: join(props.projectRoot, 'package-lock.json'),
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        mainFields: ['module', 'main'],
        // Bundle the AWS SDK too: the function runs the versions the tests ran, not the runtime's.
        externalModules: [],
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // CommonJS dependencies inside an ESM bundle still call require() for Node built-ins.
        banner:
          "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      },
    });
    // Active X-Ray tracing. Its two actions take no resource, so they live in their own policy and only
    // that policy's `Resource::*` is acknowledged: a wildcard resource anywhere else in the role still
    // fails the policy gate.
    (this.fn.node.defaultChild as CfnFunction).tracingConfig = { mode: 'Active' };
    const tracing = new Policy(this, 'TracingPolicy', {
      roles: [this.role],
      statements: [
        new PolicyStatement({
          sid: 'PutTraces',
          actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
          resources: ['*'],
        }),
      ],
    });
    this.fn.node.addDependency(tracing);
    acknowledge(
      tracing,
      'AwsSolutions-IAM5[Resource::*]',
      'Active X-Ray tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level permissions.',
    );
  }

  /**
   * Adds one explicit statement to the function's role. A wildcard resource is acknowledged to cdk-nag
   * only with `wildcardReason`; a wildcard action never is.
   */
  public allow(statement: PolicyStatement, options: AllowOptions = {}): void {
    this.role.addToPrincipalPolicy(statement);
    const { wildcardReason } = options;
    if (!wildcardReason) return;
    for (const resource of statement.resources) {
      if (resource.includes('*'))
        acknowledge(this.role, wildcardResourceFinding(this, resource), wildcardReason);
    }
  }

  /**
   * Makes `source` an SQS event source of the function, with the batch size and batching window of its
   * settings and partial batch responses: only the messages the handler reports in
   * `batchItemFailures` are retried. The role gets explicit statements to receive, delete and hide
   * messages of that queue and to decrypt them through SQS only. Throws if the function has no event
   * source settings or the queue's visibility timeout is under six times the function timeout.
   * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
   */
  public consume(source: PipelineQueue): EventSourceMapping {
    const settings = this.settings;
    if (!('batchSize' in settings)) {
      throw new Error(`Function ${this.functionName} has no SQS event source settings`);
    }
    const minimum = 6 * settings.timeoutSeconds;
    if (source.visibilityTimeout.toSeconds() < minimum) {
      throw new Error(
        `Queue ${source.queueName} hides a message for ${source.visibilityTimeout.toSeconds()}s, less than six times the function timeout (${minimum}s): SQS would redeliver messages still being processed`,
      );
    }
    this.allow(
      new PolicyStatement({
        sid: 'ConsumeQueue',
        actions: [
          'sqs:ReceiveMessage',
          'sqs:DeleteMessage',
          'sqs:ChangeMessageVisibility',
          'sqs:GetQueueAttributes',
        ],
        resources: [source.queue.queueArn],
      }),
    );
    this.allow(keyViaService('DecryptQueue', source.key, 'sqs', 'decrypt'));
    const mapping = this.fn.addEventSourceMapping('SqsEventSource', {
      eventSourceArn: source.queue.queueArn,
      batchSize: settings.batchSize,
      maxBatchingWindow: Duration.seconds(settings.maxBatchingWindowSeconds),
      reportBatchItemFailures: true,
    });
    // Lambda checks the role's queue permissions when it creates the mapping.
    mapping.node.addDependency(this.role);
    this.source = source;
    this.eventSourceMapping = mapping;
    acknowledge(
      this.fn,
      'Serverless-LambdaEventSourceMappingDestination',
      `SQS event source mappings take no on-failure destination: a message that keeps failing moves to ${source.deadLetterQueueName} after maxReceiveCount receives.`,
    );
    acknowledge(
      this.fn,
      'Serverless-LambdaDLQ',
      'A function dead-letter queue applies to asynchronous invocations only; this function is invoked synchronously by its SQS event source mapping, whose queue has a dead-letter queue.',
    );
    return mapping;
  }

  /**
   * Serves the function on a Function URL with IAM auth: only principals allowed
   * `lambda:InvokeFunctionUrl` on it can call it, with SigV4-signed requests.
   * https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html
   */
  public serveUrlWithIamAuth(): FunctionUrl {
    const url = this.fn.addFunctionUrl({ authType: FunctionUrlAuthType.AWS_IAM });
    acknowledge(
      this.fn,
      'Serverless-LambdaDLQ',
      'A function dead-letter queue applies to asynchronous invocations only; this function is invoked synchronously through its Function URL, and the caller receives any error.',
    );
    return url;
  }

  /**
   * Sends asynchronous invocations (EventBridge schedules) that still fail after `retryAttempts` retries
   * to `failures`, with the event and the error. Lambda sends with the function's role, so the role may
   * send to that queue and encrypt through SQS only.
   * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
   */
  public sendAsyncFailuresTo(failures: FailureQueue, retryAttempts: number): void {
    this.allow(
      new PolicyStatement({
        sid: 'SendAsyncFailures',
        actions: ['sqs:SendMessage'],
        resources: [failures.queue.queueArn],
      }),
    );
    this.allow(keyViaService('EncryptAsyncFailures', failures.key, 'sqs', 'encrypt-decrypt'));
    const config = new CfnEventInvokeConfig(this, 'AsyncInvokeConfig', {
      functionName: this.fn.functionName,
      qualifier: '$LATEST',
      maximumRetryAttempts: retryAttempts,
      destinationConfig: { onFailure: { destination: failures.queue.queueArn } },
    });
    config.node.addDependency(this.role);
    acknowledge(
      this.fn,
      'Serverless-LambdaDLQ',
      `Failed asynchronous invocations go to the on-failure destination ${failures.queueName}, which records the error as well as the event (a function dead-letter queue records only the event).`,
    );
  }
}
