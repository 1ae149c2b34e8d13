import { App } from 'aws-cdk-lib';
import { buildApp } from './app-builder.ts';

// The CDK app `cdk synth` and `cdk deploy` run: `npx cdk synth -c stage=prod`; the stage defaults to dev.
const app = new App();
const stage = String(app.node.tryGetContext('stage') ?? 'dev');
buildApp({ app, stage });
app.synth();
