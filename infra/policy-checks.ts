import { type App, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { IConstruct } from 'constructs';

/**
 * Registers the cdk-nag packs as CDK policy-validation plugins on the whole app: any finding that is not
 * acknowledged makes `cdk synth` (and `Template.fromStack` in tests) fail.
 */
export const addPolicyChecks = (app: App): void => {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
};

/**
 * Acknowledges one cdk-nag finding on a construct and everything below it. `reason` is what an auditor
 * reads, so it names the specific resource and why the rule does not apply or is mitigated.
 */
export const acknowledge = (scope: IConstruct, id: string, reason: string): void => {
  Validations.of(scope).acknowledge({ id, reason });
};

/**
 * The id of the cdk-nag IAM5 finding for a wildcard resource (an S3 prefix such as `reports/*`), computed
 * with cdk-nag's own flattening so an acknowledgement cannot drift from the statement it covers.
 */
export const wildcardResourceFinding = (scope: IConstruct, resource: string): string =>
  `AwsSolutions-IAM5[Resource::${flattenCfnReference(Stack.of(scope).resolve(resource))}]`;
