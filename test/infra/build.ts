import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { type BuiltApp, buildApp } from '../../infra/app-builder.ts';
import type { StageSettings } from '../../infra/config.ts';
import { addPolicyChecks } from '../../infra/policy-checks.ts';
import { type HandlerName, PipelineStack } from '../../infra/stack.ts';

/** The context `cdk synth` gives the app: the feature flags and settings of cdk.json. */
export const cdkJsonContext = (): Record<string, unknown> => {
  const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
    context: Record<string, unknown>;
  };
  return cdkJson.context;
};

/**
 * Builds the app exactly as infra/app.ts does under `cdk synth`, with cdk.json's context. `bundle: false`
 * skips esbuild (CDK's own `aws:cdk:bundling-stacks` switch) for tests that need no function code;
 * `handlers` replaces handler paths (e.g. to build an optional function whose handler is not written yet).
 */
export const buildTestApp = (
  stage: string,
  options: { bundle: boolean; handlers?: Partial<Record<HandlerName, string | null>> },
): BuiltApp =>
  buildApp({
    stage,
    ...(options.handlers ? { handlers: options.handlers } : {}),
    appProps: {
      context: { ...cdkJsonContext(), ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }) },
    },
  });

/** Synthesizes the app (running the cdk-nag gate) and returns the stack's template. */
export const synthTemplate = (built: BuiltApp): Template => Template.fromStack(built.stack);

/** A CloudFormation resource as it appears in a template. */
export type CfnResource = {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DependsOn?: string | string[];
};

/** The resources of one type, by logical id. */
export const resourcesOf = (template: Template, type: string): Record<string, CfnResource> =>
  template.findResources(type) as Record<string, CfnResource>;

/** The logical id of the only resource of `type` whose properties match `predicate`. */
export const logicalIdOf = (
  template: Template,
  type: string,
  predicate: (props: Record<string, unknown>) => boolean,
): string => {
  const ids = Object.entries(resourcesOf(template, type))
    .filter(([, resource]) => predicate(resource.Properties ?? {}))
    .map(([id]) => id);
  if (ids.length !== 1) throw new Error(`Expected one ${type} to match, found ${ids.length}`);
  return ids[0] as string;
};

/**
 * Builds a pipeline stack from settings other than a stage's (a subset of organisations, configured
 * principals), under the policy gate and without bundling.
 */
export const buildStackWith = (
  settings: StageSettings,
  handlers?: Partial<Record<HandlerName, string | null>>,
) => {
  const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } });
  const stack = new PipelineStack(app, settings.prefix, { settings, ...(handlers ? { handlers } : {}) });
  addPolicyChecks(app);
  return { app, stack };
};
