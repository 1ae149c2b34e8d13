// Synthesizes one stage's CloudFormation template without bundling the functions and prints it as
// JSON on stdout: the local stack reads its IAM policies from it (infra/local/iam/template-cache.ts runs this
// in a child process, so aws-cdk-lib never loads into the stack's own process).
// Usage: node infra/local/iam/synth-template.ts <stage>; with MSHT_SYNTH_SETTINGS (stage settings as
// JSON), those settings instead of the stage's own.
import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { parseStageSettings } from '../../../schemas/settings/stage-settings.ts';
import { buildApp } from '../../app-builder.ts';

const stage = process.argv[2] ?? 'dev';
const custom = process.env.MSHT_SYNTH_SETTINGS;
const cdkJson = JSON.parse(readFileSync(new URL('../../../cdk.json', import.meta.url), 'utf8')) as {
  context: Record<string, unknown>;
};
// `aws:cdk:bundling-stacks: []` is CDK's own switch to skip asset bundling (esbuild): the policies do not
// depend on the function code, and bundling nine functions would take most of a minute.
const app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
const { stack } = buildApp({
  app,
  stage,
  ...(custom ? { settings: parseStageSettings(JSON.parse(custom)) } : {}),
});
const assembly = app.synth();
process.stdout.write(JSON.stringify(assembly.getStackByName(stack.stackName).template));
