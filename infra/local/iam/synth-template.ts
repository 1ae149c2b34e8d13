// Synthesizes one stage's CloudFormation template without bundling the functions and prints it as
// JSON on stdout: the local stack reads its IAM policies from it (infra/local/iam/template-cache.ts runs this
// in a child process, so aws-cdk-lib never loads into the stack's own process).
// Usage: node infra/local/iam/synth-template.ts <stage>
import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { buildApp } from '../../app-builder.ts';

const stage = process.argv[2] ?? 'dev';
const cdkJson = JSON.parse(readFileSync(new URL('../../../cdk.json', import.meta.url), 'utf8')) as {
  context: Record<string, unknown>;
};
// `aws:cdk:bundling-stacks: []` is CDK's own switch to skip asset bundling (esbuild): the policies do not
// depend on the function code, and bundling nine functions would take most of a minute.
const app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
const { stack } = buildApp({ app, stage });
const assembly = app.synth();
process.stdout.write(JSON.stringify(assembly.getStackByName(stack.stackName).template));
