import { App, type AppProps } from 'aws-cdk-lib';
import { type StageSettings, settingsFor } from './config.ts';
import { addPolicyChecks } from './policy-checks.ts';
import { type HandlerName, PipelineStack } from './stack.ts';

/** Properties of `buildApp`. */
export type BuildAppProps = {
  /** The stage to build, `dev` or `prod` (see `STAGES` in infra/config.ts). */
  readonly stage: string;
  /**
   * The app to build into.
   * @default a new App with `appProps`
   */
  readonly app?: App;
  /**
   * Properties of the new App (context, outdir), when `app` is not given.
   * @default {}
   */
  readonly appProps?: AppProps;
  /**
   * Handler paths that replace the defaults (see `PipelineStackProps.handlers`).
   * @default every function's handler under functions/ (`FUNCTIONS` in infra/function-registry.ts)
   */
  readonly handlers?: Partial<Record<HandlerName, string | null>>;
  /**
   * Settings that replace the stage's own (the local stack, for a test with push consumers, say).
   * @default `settingsFor(stage)`
   */
  readonly settings?: StageSettings;
};

/** What `buildApp` built. */
export type BuiltApp = { readonly app: App; readonly stack: PipelineStack };

/**
 * Builds the whole CDK app for one stage: the pipeline stack and the cdk-nag policy gate. infra/app.ts
 * (what `cdk synth` runs) and the infrastructure tests both build through here.
 */
export const buildApp = (props: BuildAppProps): BuiltApp => {
  const settings = props.settings ?? settingsFor(props.stage);
  const app = props.app ?? new App(props.appProps);
  const stack = new PipelineStack(app, settings.prefix, {
    settings,
    description: `msht-pipeline ${settings.stage}: ingest, index and aggregation of MSHT extracts (OFFICIAL-SENSITIVE)`,
    ...(props.handlers ? { handlers: props.handlers } : {}),
    tags: { project: 'msht-pipeline', stage: settings.stage },
  });
  addPolicyChecks(app);
  return { app, stack };
};
