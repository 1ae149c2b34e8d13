import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Construct } from 'constructs';
import type { StageSettings } from '../config.ts';
import { PipelineFunction } from '../constructs/pipeline-function.ts';
import { ScheduledInvocation } from '../constructs/scheduled-invocation.ts';
import { functionEnvironment } from '../function-env.ts';
import { FUNCTIONS, type FunctionSpec, functionName, type HandlerName } from '../function-registry.ts';
import { removalPolicyOf, type Storage } from './storage.ts';

/** Properties of `functionBuilder`. */
export type FunctionBuilderProps = {
  readonly settings: StageSettings;
  readonly storage: Storage;
  /** The repository root, where functions/ and package-lock.json are. */
  readonly projectRoot: string;
  /** Absolute handler paths that replace those of `FUNCTIONS`; `null` leaves a function out. */
  readonly handlers?: Partial<Record<HandlerName, string | null>> | undefined;
};

/**
 * Builds function `name` in `scope` from its `FUNCTIONS` entry, or returns undefined when it is left out
 * (`handlers: { name: null }`, or a Function URL its settings turn off).
 */
export type BuildFunction = (scope: Construct, name: HandlerName) => PipelineFunction | undefined;

/**
 * The one way the stages build a function: name, settings and environment (`functionEnvironment`) from the
 * registry, its log group under the stage's logs key, and its trigger: a queue it consumes or a schedule
 * (failures to the scheduled-failures queue). A Function URL is served by the stage that owns it.
 */
export const functionBuilder = (props: FunctionBuilderProps): BuildFunction => {
  const { settings, storage, projectRoot } = props;
  const queues = { ingest: storage.ingestQueue, records: storage.recordsQueue } as const;
  const entryOf = (name: HandlerName): string | undefined => {
    const given = props.handlers?.[name];
    if (given !== undefined) return given ?? undefined;
    const path = join(projectRoot, FUNCTIONS[name].entry);
    if (!existsSync(path)) throw new Error(`The handler of function ${name} is missing: ${path}`);
    return path;
  };
  return (scope, name) => {
    const spec: FunctionSpec = FUNCTIONS[name];
    const { trigger } = spec;
    if (trigger.kind === 'url' && !trigger.enabled(settings)) return undefined;
    const entry = entryOf(name);
    if (entry === undefined) return undefined;
    const fnSettings = spec.settings(settings);
    const fn = new PipelineFunction(scope, name.charAt(0).toUpperCase() + name.slice(1), {
      functionName: functionName(name, settings),
      description: spec.description,
      entry,
      projectRoot,
      settings: fnSettings,
      environment: functionEnvironment(name, settings, storage.refs),
      ...(spec.nodeOptions ? { nodeOptions: spec.nodeOptions } : {}),
      ...(spec.ephemeralStorageMb ? { ephemeralStorageMb: spec.ephemeralStorageMb(settings) } : {}),
      logRetentionDays: settings.logRetentionDays,
      logKey: storage.logKey,
      removalPolicy: removalPolicyOf(settings),
    });
    if (trigger.kind === 'queue') fn.consume(queues[trigger.queue]);
    if (trigger.kind === 'schedule') {
      if (!('schedule' in fnSettings))
        throw new Error(`Function ${name} is scheduled but its settings have no schedule`);
      new ScheduledInvocation(fn, 'Schedule', {
        fn,
        schedule: fnSettings.schedule,
        description: trigger.description,
        failures: storage.scheduledFailures,
      });
    }
    return fn;
  };
};

/** `build`, for a function the pipeline cannot run without (ingest, the indexer). */
export const buildRequired = (
  build: BuildFunction,
  scope: Construct,
  name: HandlerName,
): PipelineFunction => {
  const fn = build(scope, name);
  if (!fn) throw new Error(`Function ${name} cannot be left out`);
  return fn;
};
